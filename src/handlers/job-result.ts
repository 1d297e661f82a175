import type { StepResult } from '../engine/dispatch/step-result';
import { httpOutputOf } from './http-call/http-call-output';
import type { JobExecutionEntity } from './job-execution.entity';
import { jobKind, kindOfTarget } from './job-kinds';

/** "AWX job 42", "AWX workflow_job 7", "OO execution 101000011", for messages. */
export function jobLabel(row: Pick<JobExecutionEntity, 'targetType' | 'externalJobType' | 'externalJobId'>): string {
  return `${row.targetType} ${row.externalJobType ?? 'job'} ${row.externalJobId ?? '(not launched)'}`;
}

/** "Launch failed after 2 attempts", "Call outcome unknown after 1 attempt" (an HTTP step calls; AWX and OO launch jobs). */
export function failedAfter(row: Pick<JobExecutionEntity, 'targetType' | 'launchAttempts'>, what = 'failed'): string {
  const n = row.launchAttempts;
  return `${row.targetType === 'HTTP' ? 'Call' : 'Launch'} ${what} after ${n} attempt${n === 1 ? '' : 's'}`;
}

/** The step output a finished job reports: what later steps can reference as ${steps.<name>.output...}. */
export function outputOf(row: JobExecutionEntity): Record<string, unknown> {
  const kind = kindOfTarget(row.targetType);
  if (!kind) return httpOutputOf(row);
  const out: Record<string, unknown> = {
    jobExecutionId: row.id,
    jobId: row.externalJobId,
    jobType: row.externalJobType,
    status: row.externalStatus,
    ...jobKind(kind).output(row),
  };
  if (row.options?.cancelledJob) out.cancelledJob = row.options.cancelledJob;
  if (row.externalJobId === null) delete out.jobId;
  return out;
}

export function stepResultOf(row: JobExecutionEntity): StepResult {
  return {
    flowId: row.flowId, stepName: row.stepName, action: row.action, attempt: row.attempt, commandId: row.commandId,
    status: row.status === 'SUCCEEDED' ? 'SUCCESS' : 'FAILED',
    output: outputOf(row),
    ...(row.status === 'SUCCEEDED' ? {} : { error: row.error ?? 'failed', ...(row.options?.nonRetryable ? { nonRetryable: true } : {}) }),
  };
}
