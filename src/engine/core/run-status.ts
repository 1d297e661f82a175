export const RUN_STATUSES = [
  'WAITING_FOR_WORKERS', 'RUNNING', 'COMPLETED', 'COMPENSATING', 'FAILED', 'COMPENSATION_FAILED',
  'UNDOING', 'UNDONE', 'UNDO_FAILED', 'EXPIRED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  'COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDONE', 'UNDO_FAILED', 'EXPIRED',
];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

export type StepAction = 'DO' | 'UNDO';

/**
 * DISPATCHED: in flight; TIMED_OUT: superseded by a later attempt or failed by the healer;
 * FAILED_FINAL: the worker said retrying cannot help, so no retry follows whatever the policy.
 */
export const STEP_RUN_STATUSES = ['DISPATCHED', 'SUCCEEDED', 'FAILED', 'FAILED_FINAL', 'TIMED_OUT'] as const;
export type StepRunStatus = (typeof STEP_RUN_STATUSES)[number];
