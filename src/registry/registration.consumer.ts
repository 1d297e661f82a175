import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { isInfrastructureError } from '../common/errors/infrastructure-error';
import { MessageAuthenticator } from '../auth/message-signing/message-authenticator';
import { headerOf } from '../auth/message-signing/message-signature';
import { AppConfig } from '../config/app-config';
import { IncomingMessage, PoisonMessageError } from '../messaging/message';
import { MessageConsumer } from '../messaging/message-consumer';
import { RegistryService } from './registry.service';

const describeProblems = (e: AppError) =>
  [`${e.code}: ${e.message}`, ...e.problems.map((p) => `${p.path}${p.line ? ` (line ${p.line}, column ${p.column})` : ''}: ${p.message}`)].join('; ');

/**
 * Registrations published on the registration topic (YAML or JSON). They take exactly the REST
 * path; a rejected document is audited there and dead-lettered here with the reason. With
 * MESSAGE_SIGNING=required, an unproven sender is refused before the document is read.
 */
@Injectable()
export class RegistrationConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly registry: RegistryService,
    private readonly config: AppConfig,
    private readonly authenticator: MessageAuthenticator,
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
    try {
      await this.registry.register({
        body: message.body, // bytes: read as UTF-8 strictly, so bytes that are not are refused, not replaced
        // Kafka keeps header names as produced: `X-Service-Name` was read as no name at all.
        contentType: headerOf(message.headers, 'content-type'),
        serviceName: headerOf(message.headers, 'x-service-name'),
        source: 'topic',
        principal,
        target: `topic ${message.topic}`,
      });
    } catch (e) {
      // Redelivering a rejected document cannot make it valid: dead-letter it at once.
      if (e instanceof AppError && !isInfrastructureError(e)) throw new PoisonMessageError(describeProblems(e));
      throw e;
    }
  }
}
