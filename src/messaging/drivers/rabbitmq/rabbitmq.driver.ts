import { DependencyUnavailableError } from '../../../common/errors/infrastructure-error';
import { amqpSocketOf, withHeartbeat, writeTurnsWhole, withTimeout } from '@baton/worker/internal';
import { Logger } from '@nestjs/common';
import * as amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, Options, RecoveringChannelModel } from 'amqplib';
import { once } from 'node:events';
import type { AppConfig } from '../../../config/app-config';
import type { Metrics } from '../../../metrics/metrics';
import { isPublishOutage } from '../../delivery/publish-outage';
import { SubscriptionList } from '../../delivery/subscription-list';
import type { OutgoingMessage } from '../../message';
import type { ConsumerState, Subscription } from '../../message-consumer';
import { MessagingDriver } from '../../messaging-driver';
import { publishOptions } from './rabbitmq-message';
import { RabbitSubscription } from './rabbitmq-subscription';
import { assertExchanges, assertSubscriptionQueue, exchangeFor, queueOf } from './rabbitmq-topology';

interface Send {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** A guard: confirms stop coming while the broker blocks publishers (memory or disk alarm). */
const CONFIRM_TIMEOUT_MS = 30_000;

/**
 * RabbitMQ through amqplib with its built-in connection recovery: after every (re)connect,
 * `setup` opens the confirm channel, declares the exchanges and re-attaches every subscription.
 * Publishing resolves after the broker's confirms; while disconnected it rejects at once, so the
 * outbox relay keeps the messages and retries.
 */
export class RabbitMqDriver extends MessagingDriver {
  readonly driver = 'rabbitmq';
  private readonly logger = new Logger(RabbitMqDriver.name);
  private connection?: RecoveringChannelModel;
  private connecting?: Promise<void>;
  /** The live connection and its publishing channel; unset while reconnecting. */
  private model?: ChannelModel;
  private publishChannel?: ConfirmChannel;
  /** Whether the warning that amqplib moved its socket was given: once, not on every reconnect. */
  private warnedUncorkable = false;
  private readonly subscriptions = new SubscriptionList<RabbitSubscription>();
  /** Why the broker closed a publishing channel (403, 406…): the confirms it fails say only "channel closed". */
  private readonly closeReasons = new WeakMap<Channel, Error>();
  /** A publishing channel opened anew on the live connection after the broker refused a message. */
  private reopening?: Promise<void>;

  constructor(private readonly config: AppConfig, private readonly metrics: Metrics) {
    super();
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
    this.publishChannel = undefined;
    await connection?.close().catch(() => undefined);
  }

  isConnected(): boolean {
    return this.publishChannel !== undefined;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.connect();
    const exchange = this.config.RABBITMQ_EXCHANGE;
    await Promise.all(await this.send(messages.map((m) => ({
      exchange: exchangeFor(m.topic, exchange), routingKey: m.topic, content: m.body, options: publishOptions(m),
    }))));
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
      publish: (message) => this.publish([message]),
      sendToQueue: async (queue, content, options) => {
        // The default exchange routes by queue name: only this group sees the redelivery.
        await Promise.all(await this.send([{ exchange: '', routingKey: queue, content, options }]));
      },
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
      this.publishChannel = undefined;
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
    const channel = await this.openPublishChannel(model);
    await assertExchanges(channel, this.config.RABBITMQ_EXCHANGE);
    this.model = model;
    this.publishChannel = channel;
    for (const subscription of this.subscriptions) await subscription.attach(model);
  }

  private async openPublishChannel(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => {
      this.closeReasons.set(channel, error);
      this.logger.warn(`Publishing channel: ${error.message}`);
    });
    channel.on('close', () => {
      if (this.publishChannel !== channel) return;
      this.publishChannel = undefined;
      const reason = this.closeReasons.get(channel);
      // RabbitMQ closes the channel, not the connection, for a message it refuses: a new channel
      // goes on with the others at once, as the outbox's isolation of the refused row needs (it
      // publishes the rest right after). Any other close (an exchange gone, a protocol error)
      // drops the connection, so that recovery rebuilds everything in one known way.
      if (reason && !isPublishOutage(reason) && this.model === model) this.reopen(model);
      else void model.close().catch(() => undefined);
    });
    return channel;
  }

  private reopen(model: ChannelModel): void {
    this.reopening = this.openPublishChannel(model).then((channel) => {
      if (this.model === model) this.publishChannel = channel;
      else void channel.close().catch(() => undefined);
    }, () => model.close().catch(() => undefined)).finally(() => {
      this.reopening = undefined;
    });
  }

  /**
   * Publishes in order on the confirm channel and returns one confirm per message. Waits for
   * 'drain' when amqplib's buffer is full, which is RabbitMQ's backpressure.
   */
  private async send(sends: Send[]): Promise<Promise<void>[]> {
    if (!this.publishChannel) await this.reopening;
    const channel = this.publishChannel;
    if (!channel) throw notConnected();
    const confirms: Promise<void>[] = [];
    const failed = (error: unknown) => withCloseReason(error, this.closeReasons.get(channel));
    for (const { exchange, routingKey, content, options } of sends) {
      let writable = true;
      const confirmed = new Promise<void>((resolve, reject) => {
        try {
          writable = channel.publish(exchange, routingKey, content, options, (error) => (error ? reject(failed(error)) : resolve()));
        } catch (error) {
          reject(failed(error));
        }
      });
      const guarded = withTimeout(confirmed, CONFIRM_TIMEOUT_MS, 'RabbitMQ publish confirm');
      guarded.catch(() => undefined); // handled by the caller's Promise.all; not "unhandled" while we wait for drain
      confirms.push(guarded);
      if (!writable) await Promise.race([once(channel, 'drain'), once(channel, 'close')]);
    }
    return confirms;
  }
}

/**
 * A publish failed on a channel the broker closed, with the broker's reason as its cause: the
 * reply code (403 ACCESS_REFUSED, 406 PRECONDITION_FAILED) tells a refused message from an
 * outage (isPublishOutage), which the bare "channel closed" amqplib gives each confirm cannot.
 */
function withCloseReason(error: unknown, reason: Error | undefined): unknown {
  if (!reason) return error;
  return new Error(`${error instanceof Error ? error.message : String(error)}: ${reason.message}`, { cause: reason });
}

/** Between a lost connection and its recovery: an outage (503, retried), not a fault of the request that met it. */
function notConnected(): DependencyUnavailableError {
  return new DependencyUnavailableError('RabbitMQ is not connected: Baton is reconnecting', undefined);
}
