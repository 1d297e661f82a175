import type { RunStatus } from './run-status';

export const ON_DEADLINE = ['compensate', 'pause', 'alert'] as const;
export type OnDeadline = (typeof ON_DEADLINE)[number];

const ACTIVE: RunStatus[] = ['WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED'];

/**
 * What a run past its deadline becomes: undefined when the deadline no longer matters (the run
 * ended, or is already unwinding), else the status it moves to, or its own status when the
 * deadline is only reported (alert, or pause of a run that dispatches nothing anyway: a run
 * waiting for workers then starts PAUSED, parkedStart).
 */
export function deadlineVerdict(status: RunStatus, onDeadline: OnDeadline): RunStatus | undefined {
  if (!ACTIVE.includes(status)) return undefined;
  if (onDeadline === 'compensate') return 'COMPENSATING';
  if (onDeadline === 'pause' && status === 'RUNNING') return 'PAUSED';
  return status;
}

/** How a run waiting for workers starts once its template is READY (parkedStart). */
export interface ParkedStart {
  status: RunStatus;
  /** The start applies a deadline the healer has not handled: it records it handled (DEADLINE_EXCEEDED), as the healer's pass would. */
  handlesDeadline: boolean;
}

/**
 * What a run waiting for workers starts as once its template is READY: PAUSED, for an operator,
 * when its deadline passed meanwhile and says pause. Started RUNNING, the run would go on past it
 * unchecked: the healer applies a deadline once, and may have reported it on the waiting run.
 * Null, not started, when its deadline passed and says compensate: its deadline is applied instead
 * (the run fails having run nothing). Started, it would send its first step only for the deadline's
 * pass to undo it at once.
 *
 * `passed` is by the database's clock, which set the deadline and by which the healer judges it
 * (an instance's own clock may lag: it started RUNNING a run the healer had reported); a deadline
 * the healer `handled` passed whatever any clock says. One not handled yet is handled by the
 * start itself, so that no later deadline pass pauses the run again once an operator resumed it.
 */
export function parkedStart(deadline: { onDeadline: OnDeadline | null; passed: boolean; handled: boolean }): ParkedStart | null {
  if (deadline.onDeadline === 'compensate' && deadline.passed) return null;
  const pauses = deadline.onDeadline === 'pause' && (deadline.passed || deadline.handled);
  return { status: pauses ? 'PAUSED' : 'RUNNING', handlesDeadline: pauses && !deadline.handled };
}
