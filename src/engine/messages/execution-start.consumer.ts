import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MAX_DEADLINE_SECONDS } from '../../registry/document/registration-document.schema';
import { AppError, refusalReason } from '../../common/errors/app-error';
import { isInfrastructureError } from '../../common/errors/infrastructure-error';
import { MessageAuthenticator } from '../../auth/message-signing/message-authenticator';
import { ownTemplatesOnly } from '../../auth/service-scope';
import { AppConfig } from '../../config/app-config';
import { IncomingMessage, PoisonMessageError } from '../../messaging/message';
import { MessageConsumer } from '../../messaging/message-consumer';
import { tracing } from '../../tracing/tracing';
import { RunExecutor } from '../run-executor.service';
import type { StartFields } from '../start-request';
import { parseMessage } from './parse-message';
import { signedStartKey, startIdempotencyKey } from './start-idempotency-key';
import { isSaneCorrelationId, messageCorrelationId } from '../../common/logging/correlation';
import { storedName, storedText } from './stored-text';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `{orchName, payload, idempotencyKey?, correlationId?, contentType?, deadlineSeconds?}`: a string payload is
 * base64 (bytes, `contentType` or application/octet-stream); anything else is JSON.
 */
const startSchema = z.object({
  orchName: storedName(),
  payload: z.unknown(),
  idempotencyKey: storedText(255).min(1).optional(),
  correlationId: z.string().refine(isSaneCorrelationId, 'must be 1-128 of [A-Za-z0-9_.:-], and not hold an API key').optional(),
  contentType: storedText(255).optional(),
  deadlineSeconds: z.number().int().min(1).max(MAX_DEADLINE_SECONDS).optional(),
}).refine((m) => typeof m.payload !== 'string' || BASE64.test(m.payload), { message: 'a string payload must be base64', path: ['payload'] });

/** A start message's own fields, which its refusals' problems name, as an HTTP start's name its headers. */
const START_MESSAGE_FIELDS: StartFields = { idempotencyKey: 'idempotencyKey', deadlineSeconds: 'deadlineSeconds', payload: 'payload' };

/** Runs started over the execution topic take the same path as REST (signed, with MESSAGE_SIGNING=required). */
@Injectable()
export class ExecutionStartConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly executor: RunExecutor,
    private readonly config: AppConfig,
    private readonly authenticator: MessageAuthenticator,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.subscribe({
      topic: this.config.TOPIC_EXECUTION_START, group: this.config.CONSUMER_GROUP, handler: (m) => this.handle(m),
      startAt: this.config.REQUEST_TOPICS_START_AT,
    });
  }

  private async handle(message: IncomingMessage): Promise<void> {
    // The same roles as POST /execute; an unproven sender is refused before the body is read.
    const principal = await this.authenticator.authenticate(message, ['service', 'operator']);
    const start = parseMessage(startSchema, message.body);
    const binary = typeof start.payload === 'string';
    try {
      await tracing.within(tracing.extract(message.headers), () => this.executor.start({
        orchName: start.orchName,
        payload: binary ? Buffer.from(start.payload as string, 'base64') : Buffer.from(JSON.stringify(start.payload ?? null)),
        contentType: start.contentType ?? (binary ? 'application/octet-stream' : 'application/json'),
        correlationId: start.correlationId ?? messageCorrelationId(message.headers) ?? randomUUID(),
        // Without a key, a redelivered start message must not start a second run, nor a replayed signed one.
        idempotencyKey: start.idempotencyKey ?? (principal && signedStartKey(message.headers, message.body, principal)) ?? startIdempotencyKey(message.id),
        deadlineSeconds: start.deadlineSeconds,
        ownerService: ownTemplatesOnly(principal),
        fields: START_MESSAGE_FIELDS,
      }));
    } catch (e) {
      // A refusal is final; an AppError caused by an unreachable database is not (the consumer waits it out).
      if (e instanceof AppError && !isInfrastructureError(e)) throw new PoisonMessageError(refusalReason(e));
      throw e;
    }
  }
}
