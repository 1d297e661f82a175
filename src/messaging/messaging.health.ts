import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { BrokerConnection } from './broker-connection';
import { errorMessage } from '../common/errors/error-message';
import { MessageConsumer } from './message-consumer';
import { OutboxRelay } from './outbox/outbox-relay.service';

/**
 * Broker and outbox status for the health endpoint. Down (503) only when the broker is
 * disconnected: an outbox backlog or a restarting consumer is reported, since the relay and the
 * drivers recover from those by themselves.
 */
@Injectable()
export class MessagingHealthIndicator {
  private readonly logger = new Logger(MessagingHealthIndicator.name);
  /** Whether the last probe could not read the backlog: said once when that starts and once when it ends, not per probe. */
  private backlogUnavailable = false;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly broker: BrokerConnection,
    private readonly consumer: MessageConsumer,
    private readonly relay: OutboxRelay,
  ) {}

  async check(key = 'messaging') {
    const indicator = this.health.check(key);
    const details = {
      driver: this.broker.driver,
      connected: this.broker.isConnected(),
      consumers: this.consumer.consumers(),
      outbox: await this.backlog(),
    };
    return details.connected ? indicator.up(details) : indicator.down(details);
  }

  private async backlog() {
    try {
      const backlog = await this.relay.backlog();
      if (this.backlogUnavailable) this.logger.log('Outbox backlog available again');
      this.backlogUnavailable = false;
      return backlog;
    } catch (error) {
      if (!this.backlogUnavailable) this.logger.warn(`Outbox backlog unavailable: ${errorMessage(error)}`);
      this.backlogUnavailable = true;
      return null; // the database indicator reports the database itself
    }
  }
}
