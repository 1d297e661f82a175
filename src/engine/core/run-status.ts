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

/** DISPATCHED: in flight; TIMED_OUT: superseded by a later attempt or failed by the healer. */
export type StepRunStatus = 'DISPATCHED' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
