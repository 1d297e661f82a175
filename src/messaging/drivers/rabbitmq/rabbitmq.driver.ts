import { amqpSocketOf, withHeartbeat, writeTurnsWhole } from '@baton/worker/internal';
import { Logger } from '@nestjs/common';
import * as amqp from 'amqplib';
import type { Channel, ChannelModel, RecoveringChannelModel } from 'amqplib';
import type { AppConfig } from '../../../config/app-config';
import type { Metrics } from '../../../metrics/metrics';
import { SubscriptionList } from '../../delivery/subscription-list';
import type { OutgoingMessage } from '../../message';
import type { ConsumerState, Subscription } from '../../message-consumer';
import { MessagingDriver } from '../../messaging-driver';
import { notConnected, PublishChannel, sendOf } from './rabbitmq-publish-channel';
import { RabbitSubscription } from './rabbitmq-subscription';
import { assertExchanges, assertSubscriptionQueue, queueOf } from './rabbitmq-topology';

/**
 * RabbitMQ through amqplib with its built-in connection recovery: after every (re)connect,
 * `setup` opens the publishing channel, declares the exchanges and re-attaches every subscription.
 * Publishing resolves after the broker's confirms; while disconnected it rejects at once, so the
 * outbox relay keeps the messages and retries. Consumers publish their redeliveries and dead
 * letters on channels of their own (RabbitSubscription): a message the broker refuses on one
 * path fails no publish of another.
 */
export class RabbitMqDriver extends MessagingDriver {
  readonly driver = 'rabbitmq';
  private readonly logger = new Logger(RabbitMqDriver.name);
  private connection?: RecoveringChannelModel;
  private connecting?: Promise<void>;
  /** The live connection; unset while reconnecting. */
  private model?: ChannelModel;
  /** What `publish` sends on (the outbox relay, in-process workers): not the consumers' own publishes. */
  private readonly publishing: PublishChannel;
  /** Whether the warning that amqplib moved its socket was given: once, not on every reconnect. */
  private warnedUncorkable = false;
  private readonly subscriptions = new SubscriptionList<RabbitSubscription>();

  constructor(private readonly config: AppConfig, private readonly metrics: Metrics) {
    super();
    this.publishing = new PublishChannel('Publishing channel', this.logger, () => this.model);
  }

  connect(): Promise<void> {
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    await this.stopAll();
    const connection = this.connection;
    this.connection = undefined;
    this.connecting = undefined;
    this.model = undefined;
    await this.publishing.close();
    await connection?.close().catch(() => undefined);
  }

  isConnected(): boolean {
    return this.model !== undefined && this.publishing.isOpen;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.connect();
    const exchange = this.config.RABBITMQ_EXCHANGE;
    await Promise.all(await this.publishing.send(messages.map((m) => sendOf(m, exchange))));
    for (const message of messages) this.metrics.published.inc({ topic: message.topic });
  }

  async subscribe(subscription: Subscription): Promise<void> {
    await this.connect();
    const consumer = new RabbitSubscription(subscription, {
      exchange: this.config.RABBITMQ_EXCHANGE,
      prefetch: this.config.RABBITMQ_PREFETCH,
      maxDeliveries: this.config.MESSAGING_MAX_DELIVERIES,
      metrics: this.metrics,
      logger: this.logger,
      currentModel: () => this.model,
    });
    const model = this.model;
    if (!model) throw notConnected();
    this.subscriptions.add(consumer);
    try {
      await consumer.attach(model);
    } catch (error) {
      this.subscriptions.remove(consumer);
      throw error;
    }
    this.logger.log(`Consuming ${subscription.topic} as ${subscription.group} (queue ${consumer.queue})`);
  }

  unsubscribe(subscription: Subscription): Promise<void> {
    return this.subscriptions.stopOne(subscription);
  }

  /**
   * Declares the group's queue as its consumers will, unless it exists (an operator may have
   * declared it otherwise): a message routed to no queue is dropped by RabbitMQ. Not connecting
   * here: a registration must not reopen a connection Baton closed on its way out.
   */
  async retainFor(topic: string, group: string): Promise<void> {
    const model = this.model;
    if (!model) throw notConnected();
    const queue = queueOf(group, topic);
    if (await this.onChannel(model, (channel) => channel.checkQueue(queue)).then(() => true, () => false)) return;
    await this.onChannel(model, (channel) => assertSubscriptionQueue(channel, this.config.RABBITMQ_EXCHANGE, group, topic));
  }

  /** Runs `work` on a channel of its own: a refusal (a missing queue, a denied declaration) closes only that one. */
  private async onChannel<T>(model: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await model.createChannel();
    // A refusal closes the channel with an error event, and rejects `work` with the same error.
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  stopAll(): Promise<void> {
    return this.subscriptions.stopAll();
  }

  consumers(): ConsumerState[] {
    return this.subscriptions.states();
  }

  private async open(): Promise<void> {
    // A 10 s heartbeat (the SDK's): a half-open connection is found in 20 s, not RabbitMQ's two minutes.
    const connection = await amqp.connect(withHeartbeat(this.config.RABBITMQ_URL ?? ''), {
      noDelay: true, // docs/stack-notes.md, "Brokers": with Nagle on, one round trip costs ~15 ms instead of ~1 ms
      timeout: 5000,
      clientProperties: { connection_name: 'baton' },
      recovery: {
        initialDelay: 200,
        maxDelay: 3000,
        initialMaxRetries: 5, // an unreachable broker at boot fails the start within seconds
        maxRetries: Number.POSITIVE_INFINITY, // once connected, never give up
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setup(model),
      },
    });
    this.connection = connection;
    connection.on('disconnect', (error: Error) => {
      this.model = undefined;
      for (const s of this.subscriptions) s.detach();
      this.logger.warn(`Lost the RabbitMQ connection (${error.message}); reconnecting`);
    });
    connection.on('connect', () => this.logger.log('Connected to RabbitMQ'));
    connection.on('connect-failed', (error: Error) => this.logger.debug(`RabbitMQ connection attempt failed: ${error.message}`));
    connection.on('error', (error: Error) => this.logger.warn(`RabbitMQ connection error: ${error.message}`));
    connection.on('blocked', (reason: string) => this.logger.warn(`RabbitMQ blocks publishing: ${reason}`));
    connection.on('unblocked', () => this.logger.log('RabbitMQ unblocked publishing'));
    await connection.waitForConnect();
  }

  /** Runs after every successful (re)connect, before it counts as connected; a throw makes amqplib retry. */
  private async setup(model: ChannelModel): Promise<void> {
    if (!writeTurnsWhole(amqpSocketOf(model)) && !this.warnedUncorkable) {
      this.warnedUncorkable = true;
      this.logger.warn('amqplib no longer exposes its socket: frames go to RabbitMQ one write each');
    }
    await assertExchanges(await this.publishing.open(model), this.config.RABBITMQ_EXCHANGE);
    this.model = model; // current while the subscriptions attach: their first messages may publish (a redelivery)
    try {
      for (const subscription of this.subscriptions) await subscription.attach(model);
    } catch (error) {
      // amqplib closes this connection and retries without a 'disconnect': left current, every
      // publish would try to open a channel on the dead connection, and warn, until the retry.
      if (this.model === model) this.model = undefined;
      for (const s of this.subscriptions) s.detach();
      throw error;
    }
  }
}
