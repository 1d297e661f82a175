import type { StepAttempt } from '../api/types';

/**
 * What the console says of an attempt recorded but never sent (VOIDED): `when` goes before its
 * dispatchedAt, `end` says it did not run (in place of how long it took).
 */
export interface Unsent {
  kind: 'owed' | 'voided';
  when: string;
  end: string;
}

const OWED: Unsent = { kind: 'owed', when: 'owed from', end: 'never sent: waited its turn, to go out as a later attempt' };
const VOIDED: Unsent = { kind: 'voided', when: 'was due', end: 'never sent' };

/**
 * Which kind of never-sent attempt this is, told by its times alone (its error is for people to
 * read, and may be reworded): null for an attempt that was sent, or skipped.
 *
 * - owed: an undo's retry an operator asked for (retry failed undos) that waits its turn in the
 *   undo stack: its times are all when it was owed, and a later attempt of that undo is what goes
 *   out. It was never due at that time, so "was due" misreads it.
 * - voided: a retry written ahead of its due time that the run stopped sending first (paused,
 *   terminated, compensating): its dispatchedAt is that due time, which it never reached, and is
 *   so later than when it was voided (the engine voids only a retry seconds from being due).
 */
export function unsent(a: Pick<StepAttempt, 'status' | 'dispatchedAt' | 'completedAt'>): Unsent | null {
  if (a.status !== 'VOIDED') return null;
  const owed = a.completedAt !== null && Date.parse(a.dispatchedAt) <= Date.parse(a.completedAt);
  return owed ? OWED : VOIDED;
}
