import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';
import { ON_DEADLINE } from '../core/deadline-action';
import { OPERATOR_ACTIONS } from '../core/operator-action';
import { RUN_STATUSES } from '../core/run-status';
import { ActionAvailabilityDto } from './run-action.dto';

export class ExecuteResponseDto {
  @ApiProperty({ format: 'uuid' }) flowId!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ description: 'False when an earlier request with the same Idempotency-Key created the run' }) created!: boolean;
  @ApiProperty({ type: [String], description: 'For WAITING_FOR_WORKERS: the steps still lacking a worker' }) missingSteps!: string[];
}

export class UndoResponseDto {
  @ApiProperty({ format: 'uuid' }) flowId!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
}

export class RunQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() orchName?: string;
  @ApiPropertyOptional({ enum: RUN_STATUSES }) @IsOptional() @IsIn(RUN_STATUSES) status?: (typeof RUN_STATUSES)[number];
  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601)' }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @ApiPropertyOptional({ description: 'Created before (ISO 8601)' }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  @ApiPropertyOptional({ description: 'Only runs that are not finished, with what each is waiting for' })
  @IsOptional() @Transform(({ value }) => value === true || value === 'true' || value === '1') @IsBoolean() stuck?: boolean;
}

export class RunSummaryDto {
  @ApiProperty({ format: 'uuid' }) flowId!: string;
  @ApiProperty() orchName!: string;
  @ApiProperty() templateVersion!: number;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) failedStep!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() correlationId!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
  @ApiPropertyOptional({ description: 'For unfinished runs: what the run is waiting for' }) waitingFor?: string;
}

export class RunPageDto extends PageMetaDto {
  @ApiProperty({ type: [RunSummaryDto] }) items!: RunSummaryDto[];
}

export class StepAttemptDto {
  @ApiProperty() stepName!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: ['DO', 'UNDO'] }) action!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ description: 'The first attempt of the retry budget this one counts against (an operator retry starts a fresh one)' })
  budgetStart!: number;
  @ApiProperty({ enum: ['DISPATCHED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] }) status!: string;
  @ApiProperty() handlerType!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ nullable: true, description: 'What the step returned' }) output!: unknown;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() dispatchedAt!: Date;
  @ApiProperty() deadlineAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) completedAt!: Date | null;
}

export class RunEventDto {
  @ApiProperty() at!: Date;
  @ApiProperty() kind!: string;
  @ApiProperty({ nullable: true, type: String }) stepName!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who asked, for operator actions' }) actor!: string | null;
}

export class RunDetailDto extends RunSummaryDto {
  @ApiProperty() contentType!: string;
  @ApiProperty({ description: 'The payload as started: JSON, text, or base64 for binary' }) payload!: unknown;
  @ApiProperty({ enum: ['json', 'text', 'base64'] }) payloadEncoding!: string;
  @ApiProperty({ type: [StepAttemptDto], description: 'Every DO and UNDO attempt, in order' }) steps!: StepAttemptDto[];
  @ApiProperty({ type: [RunEventDto], description: 'Operator actions, revivals and expiry' }) events!: RunEventDto[];
  @ApiProperty({ nullable: true, type: Date, description: 'When the run must have finished' }) deadlineAt!: Date | null;
  @ApiProperty({ nullable: true, enum: ON_DEADLINE, description: 'What passing the deadline does' }) onDeadline!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds left until the deadline (negative once passed); null when finished or none' })
  deadlineRemainingSeconds!: number | null;
  @ApiProperty({ type: [String], enum: OPERATOR_ACTIONS, description: 'The operator actions the run allows now' }) allowedActions!: string[];
  @ApiProperty({ type: [ActionAvailabilityDto], description: 'Every operator action, and why it is not allowed now' })
  actions!: ActionAvailabilityDto[];
}
