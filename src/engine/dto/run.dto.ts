import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';
import { ISO_DATE_MESSAGE, MAX_NAME_LENGTH, ToIsoDate } from '../../common/validation/query-values';
import { RUN_STATUSES } from '../core/run-status';

/** Any JSON value (null through `nullable`): payloads and outputs are whatever the caller or worker sent. */
const ANY_JSON = [
  { type: 'object', additionalProperties: true }, { type: 'array', items: {} }, { type: 'string' }, { type: 'number' }, { type: 'boolean' },
];

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
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH }) @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) orchName?: string;
  @ApiPropertyOptional({ enum: RUN_STATUSES }) @IsOptional() @IsIn(RUN_STATUSES) status?: (typeof RUN_STATUSES)[number];
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Created at or after (ISO 8601, year 0001 to 9999)' })
  @IsOptional() @ToIsoDate() @IsDate({ message: ISO_DATE_MESSAGE }) from?: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Created before (ISO 8601, year 0001 to 9999)' })
  @IsOptional() @ToIsoDate() @IsDate({ message: ISO_DATE_MESSAGE }) to?: Date;
  @ApiPropertyOptional({ type: Boolean, description: 'Only runs that are not finished, with what each is waiting for (true/false, 1/0)' })
  @IsOptional() @Transform(({ value }) => ({ true: true, 1: true, false: false, 0: false })[String(value)] ?? value) @IsBoolean() stuck?: boolean;
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
  @ApiProperty({ enum: ['DISPATCHED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT'] }) status!: string;
  @ApiProperty() handlerType!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ nullable: true, oneOf: ANY_JSON, description: 'What the step returned' }) output!: unknown;
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
}

export class RunDetailDto extends RunSummaryDto {
  @ApiProperty() contentType!: string;
  @ApiProperty({ nullable: true, oneOf: ANY_JSON, description: 'The payload as started: any JSON value, text, or base64 for binary' })
  payload!: unknown;
  @ApiProperty({ enum: ['json', 'text', 'base64'] }) payloadEncoding!: string;
  @ApiProperty({ type: [StepAttemptDto], description: 'Every DO and UNDO attempt, in order' }) steps!: StepAttemptDto[];
  @ApiProperty({ type: [RunEventDto], description: 'Operator actions, revivals and expiry' }) events!: RunEventDto[];
}
