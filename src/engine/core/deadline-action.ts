import type { RunStatus } from './run-status';

export const ON_DEADLINE = ['compensate', 'pause', 'alert'] as const;
export type OnDeadline = (typeof ON_DEADLINE)[number];

const ACTIVE: RunStatus[] = ['WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED'];

/**
 * What a run past its deadline becomes: undefined when the deadline no longer matters (the run
 * ended, or is already unwinding), else the status it moves to, or its own status when the
 * deadline is only reported (alert, or pause of a run that dispatches nothing anyway: a run
 * waiting for workers then starts PAUSED, parkedStartStatus).
 */
export function deadlineVerdict(status: RunStatus, onDeadline: OnDeadline): RunStatus | undefined {
  if (!ACTIVE.includes(status)) return undefined;
  if (onDeadline === 'compensate') return 'COMPENSATING';
  if (onDeadline === 'pause' && status === 'RUNNING') return 'PAUSED';
  return status;
}

/**
 * What a run waiting for workers starts as once its template is READY: PAUSED, for an operator,
 * when its deadline passed meanwhile and says pause (the healer only reported it on the waiting
 * run, and will not apply it again: started RUNNING, the run would go on past it unchecked).
 */
export function parkedStartStatus(deadline: { deadlineAt: Date | null; onDeadline: OnDeadline | null }, now: Date): RunStatus {
  const passed = deadline.deadlineAt !== null && deadline.deadlineAt <= now;
  return passed && deadline.onDeadline === 'pause' ? 'PAUSED' : 'RUNNING';
}
