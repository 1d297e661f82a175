import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE, PageMetaDto, PageQueryDto } from '../../common/pagination';
import { ToStrictInt } from '../../common/validation/query-values';
import {
  orcaExternalStatusOf, orcaResourceTypeOf, orcaStatusOf, orcaTargetTypeOf,
} from '../../orca/orca-codes';
import { JOB_STATUSES, JOB_TARGET_TYPES } from '../job-execution.entity';
import type { JobExecutionEntity, JobStatus, JobTargetType } from '../job-execution.entity';

export class JobExecutionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES }) @IsOptional() @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ enum: JOB_TARGET_TYPES }) @IsOptional() @IsIn(JOB_TARGET_TYPES)
  targetType?: JobTargetType;

  /** 10, as the Orca execution service answered a list request without pageSize. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 10 })
  @IsOptional() @ToStrictInt() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  override pageSize: number = 10;
}

/**
 * One AWX/OO launch with two sets of fields side by side: Baton's, and the Orca execution
 * service's (integer codes, `...AtUtc` times), so an Orca client reads Baton unchanged and a
 * Baton client loses nothing. The names never collide; `id`, `requestId` and `pollingAttempts`
 * mean the same in both.
 */
export class JobExecutionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The run (flow) this job belongs to; same as flowId' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) flowId!: string;
  @ApiProperty({ example: 'provisionVm' }) stepName!: string;
  @ApiProperty({ enum: ['DO', 'UNDO'] }) action!: string;
  @ApiProperty({ description: 'The step attempt' }) attempt!: number;
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;
  @ApiProperty({ enum: JOB_TARGET_TYPES }) targetType!: string;
  @ApiProperty({ enum: ['job_template', 'workflow_job_template', 'flow', 'request'], nullable: true }) resourceType!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '42' }) resourceId!: string | null;
  @ApiProperty({ example: 'default', description: 'Configured connection name (never its URL or credentials)' }) connection!: string;
  @ApiProperty({ type: String, nullable: true }) externalJobId!: string | null;
  @ApiProperty({ enum: ['job', 'workflow_job', 'execution', 'request', 'operation'], nullable: true }) externalJobType!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'running' }) externalStatus!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'OO result type', example: 'RESOLVED' }) externalResult!: string | null;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty() launchAttempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextLaunchAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) lastLaunchError!: string | null;
  @ApiProperty() pollingAttempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPolledAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextPollAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelRequestedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the engine took the result' }) reportedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'What was sent: AWX {extra_vars}, OO {flowUuid, runName, inputs}' })
  requestPayload!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Selected fields of the last response' })
  responsePayload!: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the launch was accepted' }) sentAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  @ApiProperty({ enum: [0, 1], nullable: true, type: Number, description: 'Orca: 0 = AWX, 1 = OO (null for an HTTP step)' })
  executionTargetType!: number | null;
  @ApiProperty({ enum: [0, 1], nullable: true, description: 'Orca: 0 = JobTemplate, 1 = Workflow; null for OO' })
  executionResourceType!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Orca: template id or OO flow uuid' }) executionResourceId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Orca: the AWX job or OO execution id' }) awxOoJobId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Orca: the AWX/OO status ("running" from the launch to the first poll)' })
  awxOoExecutionStatus!: string | null;
  @ApiProperty({ enum: [0, 1, 2, 3], description: 'Orca: 0 pending, 1 running, 2 success, 3 failed' }) executionStatus!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Orca: OO result type (RESOLVED, ...); null for AWX' })
  resultStatusType!: string | null;
  @ApiProperty({ description: 'Orca: polls before a timeout (HANDLER_JOB_MAX_POLLS)' }) maxPollingAttempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPolledAtUtc!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAtUtc!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAtUtc!: Date | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Orca: what was sent (= requestPayload)' })
  executionPayload!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Orca: the last response kept (= responsePayload)' })
  executionResponse!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'Orca: why it failed (= error)' }) errorMessage!: string | null;

  static of(e: JobExecutionEntity, maxPollingAttempts: number): JobExecutionDto {
    return {
      id: e.id, requestId: e.flowId, flowId: e.flowId, stepName: e.stepName, action: e.action, attempt: e.attempt,
      commandId: e.commandId, correlationId: e.correlationId, targetType: e.targetType, resourceType: e.resourceType,
      resourceId: e.resourceId, connection: e.connection, externalJobId: e.externalJobId, externalJobType: e.externalJobType,
      externalStatus: e.externalStatus, externalResult: e.externalResult, status: e.status, launchAttempts: e.launchAttempts,
      nextLaunchAt: e.nextLaunchAt, lastLaunchError: e.lastLaunchError, pollingAttempts: e.pollingAttempts,
      lastPolledAt: e.lastPolledAt, nextPollAt: e.nextPollAt, cancelRequestedAt: e.cancelRequestedAt,
      completedAt: e.completedAt, reportedAt: e.reportedAt, error: e.error, requestPayload: e.requestPayload,
      responsePayload: e.responsePayload, createdAt: e.createdAt, sentAt: e.sentAt, updatedAt: e.updatedAt,
      executionTargetType: orcaTargetTypeOf(e.targetType), executionResourceType: orcaResourceTypeOf(e.resourceType),
      executionResourceId: e.resourceId, awxOoJobId: e.externalJobId,
      awxOoExecutionStatus: orcaExternalStatusOf(e.externalStatus, e.externalJobId), executionStatus: orcaStatusOf(e.status),
      resultStatusType: e.externalResult, maxPollingAttempts, lastPolledAtUtc: e.lastPolledAt, createdAtUtc: e.createdAt,
      completedAtUtc: e.completedAt, executionPayload: e.requestPayload, executionResponse: e.responsePayload, errorMessage: e.error,
    };
  }
}

export class JobExecutionPageDto extends PageMetaDto {
  @ApiProperty({ type: [JobExecutionDto] }) items!: JobExecutionDto[];
}
