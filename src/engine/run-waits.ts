import type { StepRunEntity } from './entities/step-run.entity';

/** One thing an unfinished run waits for, with its time as a field, so a client can show it in its reader's zone. */
export interface RunWait {
  what: string;
  /** When the attempt in flight times out. */
  deadlineAt: Date | null;
  /** When a retry that is not dispatched yet is due. */
  retryAt: Date | null;
}

type InFlight = Pick<StepRunEntity, 'action' | 'stepName' | 'attempt' | 'target' | 'dispatchedAt' | 'deadlineAt'>;

/** A built-in step's job says more than "in flight": launching, polling, or waiting for an operator. */
export interface OpenJob {
  status: string;
  external_status: string | null;
}

export function workersWait(missingSteps: string[]): RunWait {
  return { what: `workers for steps: ${missingSteps.join(', ') || '(none missing: starts on the next healer tick)'}`, deadlineAt: null, retryAt: null };
}

export const DISPATCH_WAIT: RunWait = { what: 'the engine to dispatch the next step (the healer will)', deadlineAt: null, retryAt: null };

/** A PAUSED run with nothing in flight: only an operator moves it on (the healer leaves paused runs alone). */
export function operatorWait(failedStep: string | null): RunWait {
  const what = failedStep
    ? `an operator: step ${failedStep} failed (retry it, skip it, compensate or terminate the run)`
    : 'an operator to resume the run (or terminate it)';
  return { what, deadlineAt: null, retryAt: null };
}

export function stepWait(s: InFlight, job: OpenJob | undefined, now = new Date()): RunWait {
  const attempt = `${s.action} ${s.stepName} attempt ${s.attempt} on ${s.target ?? 'no target'}`;
  if (job?.status === 'WAITING_FOR_OPERATOR') return { what: `${attempt} (waiting for an operator: the job is ${job.external_status})`, deadlineAt: null, retryAt: null };
  if (job) return { what: `${attempt} (job ${job.status.toLowerCase()}${job.external_status ? `, ${job.external_status}` : ''})`, deadlineAt: null, retryAt: null };
  return s.dispatchedAt > now ? { what: attempt, deadlineAt: null, retryAt: s.dispatchedAt } : { what: attempt, deadlineAt: s.deadlineAt, retryAt: null };
}

/** `waitingFor`, the waits as one line, with times in ISO UTC (as before the structured `waits`). */
export function waitText(waits: RunWait[]): string {
  return waits.map((w) => (w.retryAt ? `${w.what} (retry due ${w.retryAt.toISOString()})`
    : w.deadlineAt ? `${w.what} (deadline ${w.deadlineAt.toISOString()})` : w.what)).join('; ');
}
