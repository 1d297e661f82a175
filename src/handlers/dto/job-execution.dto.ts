import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';
import { JOB_STATUSES, JOB_TARGET_TYPES } from '../job-execution.entity';
import type { JobExecutionEntity, JobStatus, JobTargetType } from '../job-execution.entity';

export class JobExecutionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES }) @IsOptional() @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ enum: JOB_TARGET_TYPES }) @IsOptional() @IsIn(JOB_TARGET_TYPES)
  targetType?: JobTargetType;
}

/** One AWX/OO launch as the original service exposed it (requestId = the flow), plus flow and step. */
export class JobExecutionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The run (flow) this job belongs to; same as flowId' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) flowId!: string;
  @ApiProperty({ example: 'provisionVm' }) stepName!: string;
  @ApiProperty({ enum: ['DO', 'UNDO'] }) action!: string;
  @ApiProperty({ description: 'The step attempt' }) attempt!: number;
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) correlationId!: string | null;
  @ApiProperty({ enum: JOB_TARGET_TYPES }) targetType!: string;
  @ApiPropertyOptional({ enum: ['job_template', 'workflow_job_template', 'flow', 'request'], nullable: true }) resourceType!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '42' }) resourceId!: string | null;
  @ApiProperty({ example: 'default', description: 'Configured connection name (never its URL or credentials)' }) connection!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) externalJobId!: string | null;
  @ApiPropertyOptional({ enum: ['job', 'workflow_job', 'execution', 'request', 'operation'], nullable: true }) externalJobType!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'running' }) externalStatus!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'OO result type', example: 'RESOLVED' }) externalResult!: string | null;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty() launchAttempts!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) nextLaunchAt!: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastLaunchError!: string | null;
  @ApiProperty() pollingAttempts!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) lastPolledAt!: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) nextPollAt!: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) cancelRequestedAt!: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) completedAt!: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'When the engine took the result' }) reportedAt!: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) error!: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'What was sent: AWX {extra_vars}, OO {flowUuid, runName, inputs}' })
  requestPayload!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'Selected fields of the last response' })
  responsePayload!: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'When the launch was accepted' }) sentAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static of(e: JobExecutionEntity): JobExecutionDto {
    return {
      id: e.id, requestId: e.flowId, flowId: e.flowId, stepName: e.stepName, action: e.action, attempt: e.attempt,
      commandId: e.commandId, correlationId: e.correlationId, targetType: e.targetType, resourceType: e.resourceType,
      resourceId: e.resourceId, connection: e.connection, externalJobId: e.externalJobId, externalJobType: e.externalJobType,
      externalStatus: e.externalStatus, externalResult: e.externalResult, status: e.status, launchAttempts: e.launchAttempts,
      nextLaunchAt: e.nextLaunchAt, lastLaunchError: e.lastLaunchError, pollingAttempts: e.pollingAttempts,
      lastPolledAt: e.lastPolledAt, nextPollAt: e.nextPollAt, cancelRequestedAt: e.cancelRequestedAt,
      completedAt: e.completedAt, reportedAt: e.reportedAt, error: e.error, requestPayload: e.requestPayload,
      responsePayload: e.responsePayload, createdAt: e.createdAt, sentAt: e.sentAt, updatedAt: e.updatedAt,
    };
  }
}

export class JobExecutionPageDto extends PageMetaDto {
  @ApiProperty({ type: [JobExecutionDto] }) items!: JobExecutionDto[];
}
