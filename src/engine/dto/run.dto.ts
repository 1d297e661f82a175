import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CreatedRangeQueryDto } from '../../common/created-range';
import { PageMetaDto } from '../../common/pagination';
import { MAX_NAME_LENGTH, ToBoolean } from '../../common/validation/query-values';
import { ON_DEADLINE } from '../core/deadline-action';
import { OPERATOR_ACTIONS } from '../core/operator-action';
import { RUN_STATUSES, STEP_RUN_STATUSES } from '../core/run-status';
import { ActionAvailabilityDto } from './run-action.dto';

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
  @ApiProperty({ description: 'False when the run was already UNDOING or UNDONE: nothing was done (a repeated undo is idempotent)' }) changed!: boolean;
}

// PostgreSQL rejects NUL in text: refuse it here as a 400 rather than reach SQL with it.
// eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
const NO_NUL = /^[^\u0000]*$/;
const NO_NUL_MESSAGE = { message: '$property must not contain NUL characters' };

export const RUN_ORDERS = ['newest', 'oldest'] as const;

export class RunQueryDto extends CreatedRangeQueryDto {
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH }) @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) orchName?: string;
  @ApiPropertyOptional({ enum: RUN_STATUSES }) @IsOptional() @IsIn(RUN_STATUSES) status?: (typeof RUN_STATUSES)[number];
  @ApiPropertyOptional({ maxLength: 128 }) @IsOptional() @IsString() @MaxLength(128) @Matches(NO_NUL, NO_NUL_MESSAGE) correlationId?: string;
  @ApiPropertyOptional({ maxLength: 255, description: 'The Idempotency-Key the run was started with' })
  @IsOptional() @IsString() @MaxLength(255) @Matches(NO_NUL, NO_NUL_MESSAGE) idempotencyKey?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'Only runs that are not finished, with what each is waiting for (true/false, 1/0)' })
  @IsOptional() @ToBoolean() @IsBoolean() stuck?: boolean;
  @ApiPropertyOptional({ enum: RUN_ORDERS, description: 'By creation time: newest first, or oldest first (the default with stuck=true, the longest waiting first)' })
  @IsOptional() @IsIn(RUN_ORDERS) order?: (typeof RUN_ORDERS)[number];
}

export class RunWaitDto {
  @ApiProperty({ description: 'What the run waits for, without its time' }) what!: string;
  @ApiProperty({ nullable: true, type: Date, description: 'When the attempt in flight times out' }) deadlineAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'When a retry not dispatched yet is due' }) retryAt!: Date | null;
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
  @ApiPropertyOptional({ type: [RunWaitDto], description: 'For unfinished runs: what the run is waiting for, one entry per thing waited for, with its time as a field' })
  waits?: RunWaitDto[];
  @ApiPropertyOptional({ description: 'For unfinished runs: `waits` as one human-readable line (times in ISO UTC), for logs and a terminal; programs should read `waits`' })
  waitingFor?: string;
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
  @ApiProperty({ enum: STEP_RUN_STATUSES }) status!: string;
  @ApiProperty() handlerType!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ nullable: true, oneOf: ANY_JSON, description: 'What the step returned' }) output!: unknown;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ description: 'When its command was to go out (a retry: when its backoff ends)' }) dispatchedAt!: Date;
  @ApiProperty({ description: 'When it times out; equal to dispatchedAt for an attempt recorded but never sent (a retry owed '
    + 'its turn in the undo stack, or withdrawn because a late reply completed the step)' })
  deadlineAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) completedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'When the worker last sent a heartbeat for this attempt' }) lastHeartbeatAt!: Date | null;
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
  @ApiProperty({ nullable: true, oneOf: ANY_JSON, description: 'The payload as started: any JSON value, text, or base64 for binary' })
  payload!: unknown;
  @ApiProperty({ enum: ['json', 'text', 'base64'] }) payloadEncoding!: string;
  @ApiProperty({ type: [StepAttemptDto], description: 'Every DO and UNDO attempt, in order' }) steps!: StepAttemptDto[];
  @ApiProperty({ type: [RunEventDto], description: 'Operator actions, revivals and expiry' }) events!: RunEventDto[];
  @ApiProperty({ nullable: true, type: Date, description: 'When the run must have finished' }) deadlineAt!: Date | null;
  @ApiProperty({ nullable: true, enum: ON_DEADLINE, description: 'What passing the deadline does' }) onDeadline!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds left until the deadline (negative once passed); null when finished or none' })
  deadlineRemainingSeconds!: number | null;
  @ApiProperty({ type: [String], enum: OPERATOR_ACTIONS, description: 'The operator actions (POST /runs/{flowId}/{action}) the run\'s state allows now; '
    + 'acting also needs the operator or admin role. Undo, on its own endpoint, is not listed here (so the values stay those enumerated): see `actions`' })
  allowedActions!: string[];
  @ApiProperty({ type: [ActionAvailabilityDto], description: 'Every operator action, then `undo` (POST /undo/{flowId}: a finished run, or the retry of '
    + 'its failed undos), each with whether it is allowed now and why not; terminate also with each `compensate` value\'s answer (`variants`)' })
  actions!: ActionAvailabilityDto[];
}
