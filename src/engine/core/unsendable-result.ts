import type { RunStatus } from './run-status';

interface Result {
  status: 'SUCCESS' | 'FAILED';
  output?: unknown;
  error?: string;
  nonRetryable?: boolean;
}

/**
 * What follows a step's result carries every earlier output, and the broker refuses a message
 * over its limit; retried, the same result is refused again. These two verdicts are how such a
 * result (a reply, or a healer's timeout) is applied instead, tried in this order.
 */

/**
 * First, the result is applied without what cannot be sent. A success: its output made the
 * commands after it too big. Its effect is real, so the step keeps its success, without its
 * output, and the run unwinds (unsendableSuccessUnwinds), this step's undo included: failing it
 * instead left its effect in place under a run that read as compensated. A retryable failure:
 * its retry was what could not be sent, so it fails for good and the run compensates as after
 * any failure. Null for a final failure: nothing is left to give up but the run (unsendableRunEnd).
 */
export function unsendableResultFallback<R extends Result>(result: R, why: string): R | null {
  if (result.status === 'SUCCESS') return { ...result, output: undefined, error: `OUTPUT_TOO_LARGE: ${why}` };
  if (result.nonRetryable) return null;
  return { ...result, nonRetryable: true, error: `OUTPUT_TOO_LARGE: ${result.error ?? 'failed'}, and its retry cannot be sent: ${why}` };
}

/** Where a run goes when a step's success cannot be carried on: it unwinds; null when it is unwinding already. */
export function unsendableSuccessUnwinds(status: RunStatus): RunStatus | null {
  return status === 'RUNNING' || status === 'PAUSED' ? 'COMPENSATING' : null;
}

/**
 * Then, where a run ends when even the commands its failed step calls for (undos, other branches)
 * are too big to send: nothing can ever send them, so the run stops with its effects in place for
 * an operator to clean up, visibly, instead of being refused for ever. Null: the run sends
 * nothing (paused), so it cannot be refused.
 */
export function unsendableRunEnd(status: RunStatus): RunStatus | null {
  if (status === 'UNDOING') return 'UNDO_FAILED';
  return status === 'RUNNING' || status === 'COMPENSATING' ? 'COMPENSATION_FAILED' : null;
}

/**
 * Where a resumed run goes when the commands it would send are too big: FAILED when it never sent
 * any, as a start refused so ends (nothing ran, so nothing is left in place). A run started PAUSED
 * (its deadline passed while it waited for workers) had no first commands to check, and a resume
 * refused would be refused again for ever. Null for any other action or run: the refusal stands.
 */
export function unsendableFirstCommands(to: RunStatus, attempts: readonly unknown[]): RunStatus | null {
  return to === 'RUNNING' && attempts.length === 0 ? 'FAILED' : null;
}
