import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { z } from 'zod';
import { stepReplySchema } from '../../engine/messages/step-reply.schema';
import { ToStrictInt } from '../../common/validation/query-values';
import { MAX_NAME_LENGTH, NAME_PATTERN } from '../../registry/document/registration-document.schema';
import { TOPIC_SERVICE_NAME_PATTERN } from '../../auth/service-topic';
import { LEASE_ID_PATTERN } from '../lease-id';
export const MAX_POLL_WAIT_MS = 30_000;
export const MAX_COMMANDS_PER_POLL = 64;
const LEASE_ID_DESCRIPTION = 'Names the command (`<flowId>_<commandId>_<random>`), so that any Baton instance can check a drop or a release; pass it back as given';

/** The reply body as the route reads it: the broker's step reply (extra fields tolerated), whose commandId HTTP requires. */
export const STEP_REPLY_BODY = {
  description: 'A step reply in the broker format (README, "Running") with its commandId: SUCCESS or FAILED ends the attempt, HEARTBEAT renews the lease',
  schema: z.toJSONSchema(stepReplySchema.extend({ commandId: z.uuid() }), { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>,
};

export class ServiceParamDto {
  /** A service name as the registry takes it (isServiceName): what a worker registers under, it polls under. */
  @ApiProperty({ pattern: NAME_PATTERN.source, minLength: 1, maxLength: MAX_NAME_LENGTH })
  @MaxLength(MAX_NAME_LENGTH) @Matches(NAME_PATTERN) service!: string;
}

/**
 * A poller's service: Baton consumes its command topic, which must be one registration allows. The
 * schema says so; the check is HttpWorkerHub.poolFor's, whose refusal (WORKER_TOPIC_NOT_ALLOWED) names the topic.
 */
export class PollParamDto {
  @ApiProperty({ pattern: TOPIC_SERVICE_NAME_PATTERN.source, minLength: 1, maxLength: MAX_NAME_LENGTH,
    description: 'The service whose commands to lease: not one whose command topic is a dead-letter topic (DLQ, or a name ending in .DLQ) or one of Baton\'s own' })
  @MaxLength(MAX_NAME_LENGTH) @Matches(NAME_PATTERN) service!: string;
}

export class LeaseParamDto extends ServiceParamDto {
  @ApiProperty({ pattern: LEASE_ID_PATTERN.source, description: LEASE_ID_DESCRIPTION }) @Matches(LEASE_ID_PATTERN) leaseId!: string;
}

export class PollQueryDto {
  @ApiPropertyOptional({ type: 'integer', description: 'How long to wait for a command, in ms', default: 20_000, minimum: 0, maximum: MAX_POLL_WAIT_MS })
  @IsOptional() @ToStrictInt() @IsInt() @Min(0) @Max(MAX_POLL_WAIT_MS) wait: number = 20_000;

  @ApiPropertyOptional({ type: 'integer', description: 'Most commands to lease at once', default: 1, minimum: 1, maximum: MAX_COMMANDS_PER_POLL })
  @IsOptional() @ToStrictInt() @IsInt() @Min(1) @Max(MAX_COMMANDS_PER_POLL) max: number = 1;
}

export class LeaseDto {
  @ApiProperty({ pattern: LEASE_ID_PATTERN.source, description: LEASE_ID_DESCRIPTION }) leaseId!: string;
  @ApiProperty({ description: 'Reply or heartbeat before this, or the command goes to another poller' }) leaseExpiresAt!: string;
  @ApiProperty({ description: 'The command, exactly as it is sent on a broker' }) command!: object;
  @ApiPropertyOptional({ description: 'The command\'s W3C trace context (traceparent, tracestate) when Baton traces; '
    + 'send it back as HTTP headers on the reply', type: 'object', additionalProperties: { type: 'string' } })
  trace?: Record<string, string>;
}

export class LeaseReplyResultDto {
  @ApiProperty({ enum: ['applied', 'duplicate', 'stale', 'unknown-flow', 'not-in-flight', 'heartbeat'] }) outcome!: string;
}
