/*
 * The integer codes of the Orca execution service, as its clients read them (Orca's
 * JobExecution, RequestCreatedEvent and RequestStatusUpdatedEvent). Pure: the job-execution
 * endpoints and the request adapter both translate through here.
 */
import type { JobResourceType, JobStatus, JobTargetType } from '../handlers/job-execution.entity';

/** ExecutionTargetType: 0 = AWX, 1 = OO. */
export const ORCA_TARGET_TYPES: readonly JobTargetType[] = ['AWX', 'OO'];
/** ExecutionResourceType (AWX only; null for OO): 0 = JobTemplate, 1 = Workflow. */
export const ORCA_RESOURCE_TYPES: readonly JobResourceType[] = ['job_template', 'workflow_job_template'];
/** ResultType of an OO flow: 0 = RESOLVED, 1 = DIAGNOSED, 2 = NO_ACTION_TAKEN (ERROR has no code in Orca). */
export const ORCA_RESULT_TYPES = ['RESOLVED', 'DIAGNOSED', 'NO_ACTION_TAKEN'] as const;

/** Orca's executionStatus / RequestStatus: 0 pending, 1 running, 2 success, 3 failed. */
export const OrcaStatus = { Pending: 0, Running: 1, Success: 2, Failed: 3 } as const;
export type OrcaStatus = (typeof OrcaStatus)[keyof typeof OrcaStatus];

/**
 * A launch still waiting for (a retry of) its launch is pending, not failed: Orca's own
 * controller showed 3 for `retry_pending`, a state its clients could not tell from a failure.
 */
export function orcaStatusOf(status: JobStatus): OrcaStatus {
  switch (status) {
    case 'PENDING_LAUNCH':
    case 'LAUNCHING':
      return OrcaStatus.Pending;
    case 'SUCCEEDED':
      return OrcaStatus.Success;
    case 'FAILED':
      return OrcaStatus.Failed;
    default:
      return OrcaStatus.Running;
  }
}

/** Orca knew AWX and OO only: an HTTP step's job has no Orca target type. */
export function orcaTargetTypeOf(targetType: JobTargetType): number | null {
  const code = ORCA_TARGET_TYPES.indexOf(targetType);
  return code < 0 ? null : code;
}

export function orcaResourceTypeOf(resourceType: JobResourceType | null): number | null {
  const code = resourceType ? ORCA_RESOURCE_TYPES.indexOf(resourceType) : -1;
  return code < 0 ? null : code;
}

export function orcaResultTypeOf(resultStatusType: string | null | undefined): number | null {
  const code = (ORCA_RESULT_TYPES as readonly string[]).indexOf((resultStatusType ?? '').toUpperCase());
  return code < 0 ? null : code;
}

/**
 * The external status as Orca showed it: right after the launch, before the first poll, Orca
 * recorded "running"; afterwards the status AWX or OO reported, unchanged.
 */
export function orcaExternalStatusOf(externalStatus: string | null, externalJobId: string | null): string | null {
  return externalStatus ?? (externalJobId ? 'running' : null);
}
