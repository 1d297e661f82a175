export const RUN_STATUSES = [
  'WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED', 'COMPENSATING', 'UNDOING', 'COMPLETED', 'FAILED',
  'COMPENSATION_FAILED', 'UNDONE', 'UNDO_FAILED', 'EXPIRED', 'TERMINATED',
];

const TERMINAL = ['COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDONE', 'UNDO_FAILED', 'EXPIRED', 'TERMINATED'];

export const isTerminal = (status: string) => TERMINAL.includes(status);

/** An attempt's statuses, as the engine gives them (STEP_RUN_STATUSES, src/engine/core/run-status.ts). */
export const STEP_RUN_STATUSES = ['DISPATCHED', 'SUCCEEDED', 'FAILED', 'FAILED_FINAL', 'TIMED_OUT', 'SKIPPED', 'VOIDED', 'ABANDONED'];

/** An AWX / OO launch's statuses (JOB_STATUSES, src/handlers/job-execution.entity.ts). */
export const JOB_STATUSES = ['PENDING_LAUNCH', 'LAUNCHING', 'RUNNING', 'WAITING_FOR_OPERATOR', 'CANCELLING', 'SUCCEEDED', 'FAILED'];
