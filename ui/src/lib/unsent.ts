import type { StepAttempt } from '../api/types';

/**
 * What the console says of an attempt recorded but never sent: `when` goes before its
 * dispatchedAt, `end` says it did not run (in place of how long it took).
 */
export interface Unsent {
  kind: 'owed' | 'voided' | 'withdrawn';
  when: string;
  end: string;
}

const OWED: Unsent = { kind: 'owed', when: 'owed from', end: 'never sent: waited its turn, to go out as a later attempt' };
const VOIDED: Unsent = { kind: 'voided', when: 'was due', end: 'never sent' };
const WITHDRAWN: Unsent = { kind: 'withdrawn', when: 'withdrawn at', end: 'never sent: the late reply to the attempt before it completed it' };
/** The outcomes a reply gives its attempt (the engine's attemptStatusOf): a withdrawn retry ends with one. */
const REPLIED: ReadonlySet<StepAttempt['status']> = new Set(['SUCCEEDED', 'FAILED', 'FAILED_FINAL']);

/**
 * Which kind of never-sent attempt this is, null for one that was sent, or skipped (its status
 * says so). Its error is for people to read, and may be reworded, and its times compared across
 * clocks mislead (a retry's due time and its void are stamped by whichever engine instance decided
 * each), so it is told by whether its record has a deadline beyond its dispatch: every attempt
 * sent has one (its timeout, at least a second, which heartbeats only extend), while the engine
 * writes a record that never went out with its deadline at its start, in the same write.
 *
 * - owed (VOIDED, no deadline beyond it): an undo's retry an operator asked for (retry failed
 *   undos) that waits its turn in the undo stack: its times are all when it was owed, and a later
 *   attempt of that undo is what goes out. It was never due at that time, so "was due" misreads it.
 * - voided (VOIDED, its deadline kept): a retry written ahead of its due time that the run stopped
 *   sending first (paused, terminated, compensating): its dispatchedAt is that due time, never reached.
 * - withdrawn (a reply's outcome, no deadline beyond it): a retry still waiting out its backoff that a late
 *   reply to the attempt before it completed (the worker had run the step), its command dropped
 *   unsent: its status and output are that reply's, and its times all when it came.
 */
export function unsent(a: Pick<StepAttempt, 'status' | 'dispatchedAt' | 'deadlineAt'>): Unsent | null {
  const noDeadline = Date.parse(a.deadlineAt) === Date.parse(a.dispatchedAt);
  if (a.status === 'VOIDED') return noDeadline ? OWED : VOIDED;
  return noDeadline && REPLIED.has(a.status) ? WITHDRAWN : null;
}
