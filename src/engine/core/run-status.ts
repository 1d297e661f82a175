export const RUN_STATUSES = [
  'WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED', 'COMPLETED', 'COMPENSATING', 'FAILED', 'COMPENSATION_FAILED',
  'UNDOING', 'UNDONE', 'UNDO_FAILED', 'EXPIRED', 'TERMINATED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  'COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDONE', 'UNDO_FAILED', 'EXPIRED', 'TERMINATED',
];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

/**
 * A TERMINATED run was stopped with its effects left in place on purpose: a late reply to a
 * command it sent before must not record anything, or the timeline would claim work it abandoned.
 */
export function acceptsResults(status: RunStatus): boolean {
  return status !== 'TERMINATED';
}

export type StepAction = 'DO' | 'UNDO';

/**
 * DISPATCHED: in flight; TIMED_OUT: superseded by a later attempt or failed by the healer;
 * SKIPPED: an operator skipped the failed step (its output, if any, was given by the operator);
 * FAILED_FINAL: the worker said retrying cannot help, so no retry follows whatever the policy;
 * VOIDED: an attempt recorded but never sent: it did not run, and costs no attempt. Either a retry
 * written ahead of its time, whose run stopped sending that action before it was due (paused,
 * terminated, compensating), its dispatchedAt the due time it never reached; or an undo's retry an
 * operator asked for that waits its turn in the stack (retryFailedUndos: owed), its dispatchedAt
 * when it was owed, which the next attempt of that undo sends once its turn comes;
 * ABANDONED: sent, and in flight when the run was TERMINATED: whether it ran is unknown, and a
 * late reply is not recorded (acceptsResults).
 */
export const STEP_RUN_STATUSES = ['DISPATCHED', 'SUCCEEDED', 'FAILED', 'FAILED_FINAL', 'TIMED_OUT', 'SKIPPED', 'VOIDED', 'ABANDONED'] as const;
export type StepRunStatus = (typeof STEP_RUN_STATUSES)[number];
