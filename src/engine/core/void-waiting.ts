import type { Attempt } from './plan';
import type { RunStatus, StepAction } from './run-status';

/**
 * How long before it is due an attempt may still be voided. Closer than this, the outbox relay
 * or the job runner may be about to take it; the write checks the same by the database's clock
 * with half this margin, and a write that finds it taken fails and is decided again on a fresh
 * read (which gives `dueAt` by the database's clock, with this margin).
 */
export const VOID_MARGIN_MS = 2_000;

/** The action a run in this status sends; none for a run that is paused or over. */
const SENDS: Partial<Record<RunStatus, StepAction>> = {
  WAITING_FOR_WORKERS: 'DO', RUNNING: 'DO', COMPENSATING: 'UNDO', UNDOING: 'UNDO',
};

/**
 * The attempts a run in `status` voids: retries written ahead of their time (waiting out their
 * backoff, not sent yet) of an action the run no longer sends. A paused run must not see a retry
 * go out later and record it; a compensating run must not wait for a DO retry before undoing,
 * nor a terminated one launch anything.
 */
export function attemptsToVoid<T extends Attempt>(status: RunStatus, attempts: T[], now: number): T[] {
  const sends = SENDS[status];
  return attempts.filter((a) => a.status === 'DISPATCHED' && a.action !== sends && (a.dueAt ?? 0) > now + VOID_MARGIN_MS);
}

/** The attempts as they are once `voids` are voided (the same objects, but for copies of the voided). */
export function withVoided<T extends Attempt>(attempts: T[], voids: T[]): T[] {
  if (voids.length === 0) return attempts;
  return attempts.map((a) => (voids.includes(a) ? { ...a, status: 'VOIDED', dueAt: null } as T : a));
}
