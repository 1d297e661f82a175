import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { BrokerConnection } from './broker-connection';
import { errorMessage } from '../common/errors/error-message';
import { DATABASE_PROBE_MS, sharedRead } from '../health/probe-read';
import { MessageConsumer } from './message-consumer';
import type { OutboxBacklog } from './outbox/outbox-store';
import { OutboxRelay } from './outbox/outbox-relay.service';

type BacklogRead = { backlog: OutboxBacklog } | { failure: string };

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
  /**
   * The backlog's count(*), bounded and shared: load balancers probe every few seconds, and while
   * the database struggles each probe queued another count for a pool connection, waiting as long.
   */
  private readonly readBacklog: () => Promise<BacklogRead | undefined>;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly broker: BrokerConnection,
    private readonly consumer: MessageConsumer,
    relay: OutboxRelay,
  ) {
    this.readBacklog = sharedRead(() => relay.backlog().then((backlog) => ({ backlog }), (e: unknown) => ({ failure: errorMessage(e) })));
  }

  /** `withBacklog` false: the details go to no one (a caller without a role gets the status only), so the database is not asked. */
  async check(key = 'messaging', withBacklog = true) {
    const indicator = this.health.check(key);
    const details = {
      driver: this.broker.driver,
      connected: this.broker.isConnected(),
      consumers: this.consumer.consumers(),
      ...(withBacklog ? { outbox: await this.backlog() } : {}),
    };
    return details.connected ? indicator.up(details) : indicator.down(details);
  }

  private async backlog(): Promise<OutboxBacklog | null> {
    const read = await this.readBacklog() ?? { failure: `no answer within ${DATABASE_PROBE_MS / 1000} s` };
    if ('backlog' in read) {
      if (this.backlogUnavailable) this.logger.log('Outbox backlog available again');
      this.backlogUnavailable = false;
      return read.backlog;
    }
    if (!this.backlogUnavailable) this.logger.warn(`Outbox backlog unavailable: ${read.failure}`);
    this.backlogUnavailable = true;
    return null; // the database indicator reports the database itself
  }
}
