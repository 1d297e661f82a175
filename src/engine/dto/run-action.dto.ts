import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { KEY_NAME_RULE, withoutKeySecrets } from '../../auth/api-keys/api-key-format';
import { VISIBLE_TEXT_PATTERN } from '../../common/validation/visible-text';
import { ToBoolean } from '../../common/validation/query-values';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_NAME_LENGTH, NAME_PATTERN } from '../../registry/document/registration-document.schema';
import { RUN_ACTIONS } from '../core/allowed-actions';
import { ACTION_REFUSALS, OPERATOR_ACTIONS } from '../core/operator-action';
import { RUN_STATUSES } from '../core/run-status';
import { IsBoundedJson, MAX_OUTPUT_BYTES } from './bounded-json';
import { MAX_INT4 } from '../messages/stored-text';

export const MAX_REASON_LENGTH = 1000;

/*
 * One body per kind of action, so the API document says exactly what each takes: unknown fields are
 * refused (400 naming them) by the global ValidationPipe, a stepName on a whole-run action included.
 * An optional field sent as null counts as left out (class-validator's IsOptional), and the
 * document says so (nullable).
 */
export class RunActionBodyDto {
  // Shown to viewers and to the run's own service: a whole API key pasted in it is kept as its prefix
  // only (README: no response shows more of a key), and no character may hide or reorder the text.
  // Cut only within the length allowed, which is judged as sent.
  @ApiPropertyOptional({ description: `Why: recorded on the run's timeline with who asked. It ${KEY_NAME_RULE}; an API key in it is `
    + 'recorded as its prefix only (bk_<prefix>_…)', maxLength: MAX_REASON_LENGTH, pattern: VISIBLE_TEXT_PATTERN.source, nullable: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.length <= MAX_REASON_LENGTH ? withoutKeySecrets(value) : value))
  @IsString() @MaxLength(MAX_REASON_LENGTH) @Matches(VISIBLE_TEXT_PATTERN, { message: `reason ${KEY_NAME_RULE}` })
  reason?: string;
}

export class StepActionBodyDto extends RunActionBodyDto {
  @ApiPropertyOptional({ description: 'The step (may be left out, or null, when exactly one step failed)', maxLength: MAX_NAME_LENGTH, pattern: NAME_PATTERN.source, nullable: true })
  @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) @Matches(NAME_PATTERN) stepName?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_INT4,
    description: 'The failed attempt this is for (the step\'s last, as the run detail showed it). If the step has had a later attempt since, '
      + 'nothing is done (`changed: false`): two operators, or a click sent twice, retry once. Given without `stepName`, it is refused '
      + '(409 STEP_NAME_REQUIRED) if another step was retried or skipped from that attempt since' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4) attempt?: number;
}

export class SkipActionBodyDto extends StepActionBodyDto {
  @ApiPropertyOptional({ description: `The output later steps see for the skipped step (JSON, at most ${MAX_OUTPUT_BYTES} bytes, `
    + `numbers within ±${Number.MAX_SAFE_INTEGER})` })
  @IsOptional() @IsBoundedJson() output?: unknown;
}

export class TerminateQueryDto {
  @ApiPropertyOptional({ description: 'true or 1 (default): undo what succeeded and end FAILED; false or 0: end TERMINATED, effects left in place' })
  @IsOptional() @ToBoolean() @IsBoolean() compensate?: boolean;
}

export class RunActionResponseDto {
  @ApiProperty({ format: 'uuid' }) flowId!: string;
  @ApiProperty({ enum: OPERATOR_ACTIONS }) action!: string;
  @ApiProperty({ enum: RUN_STATUSES, description: 'The run status after the action' }) status!: string;
  @ApiProperty({ description: 'False when the run already was where the action takes it (every action is idempotent)' }) changed!: boolean;
}

const NOT_ALLOWED = 'Not allowed with no code: the action would change nothing, and is answered 202 with `changed: false`.';

export class TerminateVariantDto {
  @ApiProperty({ description: 'The `compensate` query value this entry judges' }) compensate!: boolean;
  @ApiProperty({ description: `Whether terminate with this value changes the run now. ${NOT_ALLOWED}` }) allowed!: boolean;
  @ApiPropertyOptional({ enum: ACTION_REFUSALS, description: 'The 409 code it would get now' }) code?: string;
  @ApiPropertyOptional({ description: 'Why it is not allowed' }) reason?: string;
}

export class ActionAvailabilityDto {
  @ApiProperty({ enum: RUN_ACTIONS, description: 'An operator action (POST /api/orchestration/runs/{flowId}/{action}), or `undo` (POST /api/orchestration/undo/{flowId})' })
  action!: string;
  @ApiProperty({ description: `Whether the action changes the run now. ${NOT_ALLOWED}` }) allowed!: boolean;
  @ApiPropertyOptional({ enum: [...ACTION_REFUSALS, 'RUN_NOT_UNDOABLE'], description: 'The 409 code the action would get now (for terminate: with compensate=true, its default)' })
  code?: string;
  @ApiPropertyOptional({ description: 'Why it is not allowed (or, for retry and skip, that a step must be named)' }) reason?: string;
  @ApiPropertyOptional({ description: 'Terminate allowed only with this compensate value (false on a COMPENSATING run: it stops the compensation)' })
  compensate?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Retry and skip, when allowed: the steps they may name now (those failed), in template order' })
  steps?: string[];
  @ApiPropertyOptional({ type: [TerminateVariantDto], description: 'Terminate only: how each `compensate` value (true, then false) would be answered now; '
    + 'on a TERMINATED run, for one, compensate=false changes nothing (202) where compensate=true is refused (409 RUN_FINISHED)' })
  variants?: TerminateVariantDto[];
}
