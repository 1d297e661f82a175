import { withTimeout } from '@baton/worker/internal';
import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from '../common/errors/error-message';
import { MessageConsumer } from '../messaging/message-consumer';

/** Long enough for a declaration on a live broker; a registration waits no longer on a stuck one. */
const RETAIN_TIMEOUT_MS = 5000;

/**
 * Has the broker keep a worker's commands from the moment its service registers. On RabbitMQ a
 * command sent before the service's first consumer declared its queue was routed nowhere and
 * dropped, and its step waited for its timeout. Asked before the registration commits (a command
 * may follow at once), and best effort: with the broker unreachable now, the registration goes
 * ahead and the first consumer declares the queue, as before.
 */
@Injectable()
export class CommandRetention {
  private readonly logger = new Logger(CommandRetention.name);

  constructor(private readonly consumer: MessageConsumer) {}

  async retain(topic: string, serviceName: string): Promise<void> {
    try {
      // The service's consumers share one group named after it (its SDK workers and Baton's pollers for it).
      await withTimeout(this.consumer.retainFor(topic, serviceName), RETAIN_TIMEOUT_MS, 'declaring its queue');
    } catch (error) {
      this.logger.warn({ serviceName, topic },
        `Commands to ${serviceName} are kept only once its first consumer starts: ${errorMessage(error)}`);
    }
  }
}
