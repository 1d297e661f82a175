import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { isInfrastructureError } from '../common/errors/infrastructure-error';
import { messageCorrelationId } from '../common/logging/correlation';
import { MessageAuthenticator } from '../auth/message-signing/message-authenticator';
import { headerOf } from '../auth/message-signing/message-signature';
import { AppConfig } from '../config/app-config';
import { signedStartKey } from '../engine/messages/start-idempotency-key';
import { IncomingMessage, PoisonMessageError } from '../messaging/message';
import { MessageConsumer } from '../messaging/message-consumer';
import { RegistryService } from './registry.service';
import { handledBefore, markHandled } from './signed-registration-copies';

const describeProblems = (e: AppError) =>
  [`${e.code}: ${e.message}`, ...e.problems.map((p) => `${p.path}${p.line ? ` (line ${p.line}, column ${p.column})` : ''}: ${p.message}`)].join('; ');

/**
 * Registrations published on the registration topic (YAML or JSON). They take exactly the REST
 * path; a rejected document is audited there and dead-lettered here with the reason. With
 * MESSAGE_SIGNING=required, an unproven sender is refused before the document is read, and a copy
 * of a signed registration already handled is dropped.
 */
@Injectable()
export class RegistrationConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RegistrationConsumer.name);

  constructor(
    private readonly consumer: MessageConsumer,
    private readonly registry: RegistryService,
    private readonly config: AppConfig,
    private readonly authenticator: MessageAuthenticator,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.subscribe({
      topic: this.config.TOPIC_REGISTRATION, group: this.config.CONSUMER_GROUP, handler: (m) => this.handle(m),
      startAt: this.config.REQUEST_TOPICS_START_AT,
    });
  }

  private async handle(message: IncomingMessage): Promise<void> {
    // A signed message binds the service exactly as a service key does over HTTP.
    const principal = await this.authenticator.authenticate(message, ['service']);
    const correlationId = messageCorrelationId(message.headers) ?? randomUUID();
    // Whoever reads the topic may publish a copy within the signature's window: applied again, it
    // brought back a version since replaced, or a worker since removed. Its id is not signed.
    const copyKey = principal && signedStartKey(message.headers, message.body, principal);
    if (copyKey && await handledBefore(this.dataSource, copyKey)) {
      this.logger.log({ topic: message.topic, messageId: message.id, signer: principal?.id, correlationId },
        'copy of a signed registration already handled: dropped');
      return;
    }
    try {
      await this.registry.register({
        body: message.body, // bytes: read as UTF-8 strictly, so bytes that are not are refused, not replaced
        // Kafka keeps header names as produced: `X-Service-Name` was read as no name at all.
        contentType: headerOf(message.headers, 'content-type'),
        serviceName: headerOf(message.headers, 'x-service-name'),
        source: 'topic',
        principal,
        target: `topic ${message.topic}`,
        correlationId,
      });
    } catch (e) {
      // Redelivering a rejected document cannot make it valid: dead-letter it at once. A copy must
      // not be taken later either (the template since changed to allow it).
      if (e instanceof AppError && !isInfrastructureError(e)) {
        if (copyKey) await markHandled(this.dataSource, copyKey);
        throw new PoisonMessageError(describeProblems(e));
      }
      throw e;
    }
    if (copyKey) await markHandled(this.dataSource, copyKey);
  }
}
