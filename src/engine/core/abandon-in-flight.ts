import type { Attempt } from './plan';
import type { RunStatus } from './run-status';

/** Why an attempt was abandoned, as its record keeps it. */
export const ABANDONED_REASON = 'abandoned: the run was terminated while this attempt was in flight; a late reply is not recorded';

/**
 * The attempts a run in `status` gives up on: those sent and still unanswered when it was
 * TERMINATED. Such a run stopped with its effects left in place, and records no late reply
 * (acceptsResults), so they would read as in flight forever on a finished run. Pass the attempts
 * as they were before this transition's voids: a retry it voids is given up too, should its
 * command go out in the instant before the void is written (void-statement); the write leaves
 * the ones it voids to the void.
 */
export function attemptsToAbandon<T extends Attempt>(status: RunStatus, attempts: T[]): T[] {
  return status === 'TERMINATED' ? attempts.filter((a) => a.status === 'DISPATCHED') : [];
}
