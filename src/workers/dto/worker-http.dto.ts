import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ToStrictInt } from '../../common/validation/query-values';

/** Service names as worker topics and consumer groups can carry them. */
export const SERVICE_NAME = /^[A-Za-z0-9._-]{1,100}$/;
export const MAX_POLL_WAIT_MS = 30_000;
export const MAX_COMMANDS_PER_POLL = 64;

export class ServiceParamDto {
  @ApiProperty({ pattern: SERVICE_NAME.source }) @Matches(SERVICE_NAME) service!: string;
}

export class LeaseParamDto extends ServiceParamDto {
  @ApiProperty({ format: 'uuid' }) @Matches(/^[0-9a-f-]{36}$/) leaseId!: string;
}

export class PollQueryDto {
  @ApiPropertyOptional({ type: 'integer', description: 'How long to wait for a command, in ms', default: 20_000, minimum: 0, maximum: MAX_POLL_WAIT_MS })
  @IsOptional() @ToStrictInt() @IsInt() @Min(0) @Max(MAX_POLL_WAIT_MS) wait: number = 20_000;

  @ApiPropertyOptional({ type: 'integer', description: 'Most commands to lease at once', default: 1, minimum: 1, maximum: MAX_COMMANDS_PER_POLL })
  @IsOptional() @ToStrictInt() @IsInt() @Min(1) @Max(MAX_COMMANDS_PER_POLL) max: number = 1;
}

export class LeaseDto {
  @ApiProperty({ format: 'uuid' }) leaseId!: string;
  @ApiProperty({ description: 'Reply or heartbeat before this, or the command goes to another poller' }) leaseExpiresAt!: string;
  @ApiProperty({ description: 'The command, exactly as it is sent on a broker' }) command!: object;
  @ApiPropertyOptional({ description: 'The command\'s W3C trace context (traceparent, tracestate) when Baton traces; '
    + 'send it back as HTTP headers on the reply', type: 'object', additionalProperties: { type: 'string' } })
  trace?: Record<string, string>;
}

export class LeaseReplyResultDto {
  @ApiProperty({ enum: ['applied', 'duplicate', 'stale', 'unknown-flow', 'not-in-flight', 'heartbeat'] }) outcome!: string;
}
