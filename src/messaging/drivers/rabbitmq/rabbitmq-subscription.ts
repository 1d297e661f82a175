import type { Logger } from '@nestjs/common';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Metrics } from '../../../metrics/metrics';
import { deadLetterInPlace, logDependencyWait } from '../../delivery/deliver-in-place';
import { DependencyWaits } from '../../delivery/dependency-waits';
import { decideAfterFailure, type FailureDecision } from '../../delivery/failure-policy';
import { isPublishOutage } from '../../delivery/publish-outage';
import { errorMessage } from '../../../common/errors/error-message';
import { KeyedSerialExecutor } from '../../delivery/keyed-serial-executor';
import type { IncomingMessage, OutgoingMessage } from '../../message';
import type { ConsumerState, Subscription } from '../../message-consumer';
import { RabbitBacklog } from './rabbitmq-backlog';
import { redeliveryOptions, toIncoming } from './rabbitmq-message';
import { PublishChannel, sendOf } from './rabbitmq-publish-channel';
import { assertSubscriptionQueue, queueOf } from './rabbitmq-topology';

export interface RabbitSubscriptionDeps {
  exchange: string;
  prefetch: number;
  maxDeliveries: number;
  metrics: Metrics;
  logger: Logger;
  /** The live connection, if any. */
  currentModel: () => ChannelModel | undefined;
}

const REATTACH_DELAY_MS = 1000;
/** How often the queue's ready count is read while a backlog is applied: one cheap RPC per consumer. */
const BACKLOG_PROBE_MS = 250;
/**
 * Where our patch of amqplib (patches/amqplib+*.patch) puts why a message's headers could not be
 * decoded (nested too deep, malformed): unpatched, the decoder threw inside the frame parser and
 * closed the connection, and the requeued message closed every later one too.
 */
const UNDECODABLE_HEADERS = 'x-amqp-undecodable-headers';

/**
 * One subscription: a channel consuming `${group}.${topic}` with manual acks after the handler
 * resolved. Messages with the same key are handled one after another, different keys
 * concurrently (up to the prefetch). Per-key order holds within this consumer only: with several
 * consumers on one queue RabbitMQ hands same-key messages to different consumers, and a failed
 * message is republished to the back of its queue, so neither case keeps per-key order.
 */
export class RabbitSubscription {
  state: ConsumerState['state'] = 'restarting';
  /** What waited in the queue at the last attach, and whether it is applied (the healer's timeouts wait for it). */
  private tracker = new RabbitBacklog(new Date());
  readonly queue: string;
  private channel?: Channel;
  private channelModel?: ChannelModel;
  private consumerTag?: string;
  private readonly executor: KeyedSerialExecutor;
  /**
   * Redeliveries and dead letters, one at a time, on a channel of this subscription's own (opened
   * at its first failure): a publish the broker refuses fails no other, here or on another path.
   */
  private readonly publishing: PublishChannel;
  private attaching: Promise<void> = Promise.resolve();
  private reattachTimer?: NodeJS.Timeout;
  private stopping = false;
  private readonly waits = new DependencyWaits();

  get backlog(): ConsumerState['backlog'] {
    return this.tracker.backlog();
  }

  get waitingSince(): Date | undefined {
    return this.waits.since;
  }

  constructor(readonly subscription: Subscription, private readonly deps: RabbitSubscriptionDeps) {
    this.queue = queueOf(subscription.group, subscription.topic);
    this.executor = new KeyedSerialExecutor(deps.prefetch);
    this.publishing = new PublishChannel(`Publishing channel of ${this.queue}`, deps.logger, deps.currentModel);
  }

  /** Consumes on `model` unless already doing so: on subscribe, after a reconnect, after a cancel. */
  attach(model: ChannelModel): Promise<void> {
    this.attaching = this.attaching.catch(() => undefined).then(() => this.attachNow(model));
    return this.attaching;
  }

  /** The connection is gone, and the channel with it; the driver re-attaches after reconnecting. */
  detach(): void {
    this.channel = undefined;
    if (!this.stopping) this.state = 'restarting';
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reattachTimer);
    await this.attaching.catch(() => undefined);
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    await this.executor.onIdle();
    await this.publishing.close();
    this.channel = undefined;
    // Unacknowledged messages (skipped while stopping) go back to the queue with the channel.
    await channel?.close().catch(() => undefined);
    this.state = 'stopped';
  }

  private async attachNow(model: ChannelModel): Promise<void> {
    if (this.stopping || (this.channel && this.channelModel === model)) return;
    const { topic, group } = this.subscription;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.deps.logger.warn(`Channel of ${this.queue}: ${error.message}`));
    channel.on('close', () => this.onChannelClosed(channel));
    try {
      await channel.prefetch(this.deps.prefetch);
      await assertSubscriptionQueue(channel, this.deps.exchange, group, topic);
      const tracker = new RabbitBacklog(new Date());
      this.tracker = tracker;
      this.channel = channel;
      this.channelModel = model;
      const { consumerTag } = await channel.consume(this.queue, (message) => this.onMessage(channel, message));
      this.consumerTag = consumerTag;
      this.state = 'running';
      void this.trackBacklog(channel, tracker);
    } catch (error) {
      this.channel = undefined;
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** Reads the queue's ready count until what waited at the attach is delivered, then settling ends it (see RabbitBacklog). */
  private async trackBacklog(channel: Channel, tracker: RabbitBacklog): Promise<void> {
    while (!tracker.applied && channel === this.channel && !this.stopping) {
      try {
        const counted = tracker.counting();
        if (!tracker.marked && (await channel.checkQueue(this.queue)).messageCount === 0) {
          // The broker may write deliveries it made before that count after answering it: the
          // answer to one more request on the channel comes after them.
          await channel.checkQueue(this.queue);
          if (tracker.emptied(counted)) return this.caughtUp(tracker);
        }
      } catch {
        return; // the channel closed: the next attach tracks anew
      }
      await sleep(BACKLOG_PROBE_MS);
    }
  }

  private caughtUp(tracker: RabbitBacklog): void {
    if (tracker.waiting === 0) return;
    const { topic, group } = this.subscription;
    this.deps.logger.log(`Consumer ${group} on ${topic} applied the ${tracker.waiting} message(s) waiting in its queue in ${tracker.catchUpMs()} ms`);
  }

  /** A channel that closes while the connection stays up (a channel error, a cancel) is replaced. */
  private onChannelClosed(channel: Channel): void {
    if (channel !== this.channel || this.stopping) return;
    this.channel = undefined;
    this.state = 'restarting';
    this.scheduleReattach();
  }

  private scheduleReattach(): void {
    clearTimeout(this.reattachTimer);
    this.reattachTimer = setTimeout(() => {
      const model = this.deps.currentModel();
      if (!model || this.stopping) return; // reconnecting: the driver attaches us when it is back
      this.attach(model).catch((error: Error) => {
        this.deps.logger.warn(`Re-subscribing ${this.queue} failed: ${error.message}`);
        this.scheduleReattach();
      });
    }, REATTACH_DELAY_MS);
  }

  private onMessage(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The server cancelled the consumer (queue deleted, node draining): consume again.
      this.deps.logger.warn(`RabbitMQ cancelled the consumer of ${this.queue}; re-subscribing`);
      if (channel === this.channel) {
        this.channel = undefined;
        this.state = 'restarting';
        void channel.close().catch(() => undefined);
        this.scheduleReattach();
      }
      return;
    }
    const incoming = toIncoming(message, this.subscription.topic);
    if (channel === this.channel) this.tracker.delivered(message.fields.deliveryTag);
    this.executor.submit(incoming.key, () => this.handle(channel, message, incoming));
  }

  private async handle(channel: Channel, message: ConsumeMessage, incoming: IncomingMessage): Promise<void> {
    const { metrics, logger } = this.deps;
    const undecodable = message.properties.headers?.[UNDECODABLE_HEADERS];
    if (undecodable !== undefined) {
      const reason = `headers cannot be decoded: ${String(undecodable)}`;
      // Not carried on: the dead-letter topic's consumers would refuse the letter for it in turn.
      const { [UNDECODABLE_HEADERS]: _undecodable, ...headers } = incoming.headers;
      return this.settleFailure(channel, message, { ...incoming, headers }, new Error(reason), { action: 'dead-letter', reason });
    }
    // While the database is down the message stays here, unacknowledged and uncounted, holding its
    // prefetch slot: with every slot held the consumer takes nothing new until the outage ends.
    const wait = this.waits.forMessage();
    for (let outageRetries = 0; ; outageRetries++) {
      // Stopping, or the channel is gone (the broker requeued the message): leave it unacknowledged.
      if (this.stopping || channel !== this.channel) return wait.over();
      try {
        await this.subscription.handler(incoming);
        wait.over();
        metrics.consumed.inc({ topic: incoming.topic });
        this.settle(channel, message, 'ack');
        return;
      } catch (error) {
        const decision = decideAfterFailure(error, incoming.deliveryAttempt, this.deps.maxDeliveries, outageRetries);
        if (decision.action !== 'wait-for-dependency') {
          wait.over();
          return this.settleFailure(channel, message, incoming, error, decision);
        }
        wait.waiting();
        logDependencyWait(logger, incoming, error, outageRetries);
        await sleep(decision.delayMs);
      }
    }
  }

  private async settleFailure(
    channel: Channel, message: ConsumeMessage, incoming: IncomingMessage, error: unknown,
    decision: Exclude<FailureDecision, { action: 'wait-for-dependency' }>,
  ): Promise<void> {
    const { metrics, logger } = this.deps;
    if (decision.action === 'dead-letter') {
      // A letter the broker refuses (cut down, then given up) must not be requeued: the message
      // would come back, fail and be refused again, for ever.
      const outcome = await deadLetterInPlace(incoming, decision.reason, {
        logger, metrics, deadLetter: (letter) => this.deadLetter(letter), stopping: () => this.stopping || channel !== this.channel,
      });
      // Not acknowledged only when stopping or the channel is gone: the broker requeues it then.
      if (outcome.acked) this.settle(channel, message, 'ack');
      return;
    }
    try {
      await sleep(decision.delayMs);
      await this.redeliver(message, incoming.deliveryAttempt);
      metrics.redelivered.inc({ topic: incoming.topic });
      logger.debug(`Redelivering ${incoming.id} on ${incoming.topic} (attempt ${incoming.deliveryAttempt} failed: ${errorMessage(error)})`);
      this.settle(channel, message, 'republished');
    } catch (publishError) {
      if (!isPublishOutage(publishError)) {
        // Refused (Baton may not write the default exchange, a message over max_message_size):
        // requeued as it is, it came back, failed and was refused again, for ever.
        const reason = `attempt ${incoming.deliveryAttempt} failed (${errorMessage(error)}), and its redelivery was refused by the broker (${errorMessage(publishError)})`;
        return this.settleFailure(channel, message, incoming, publishError, { action: 'dead-letter', reason });
      }
      // Could not republish: let the broker redeliver it as it is (same count) rather than lose it.
      logger.warn(`Could not redeliver ${incoming.id} on ${this.queue}: ${errorMessage(publishError)}`);
      this.settle(channel, message, 'requeue');
    }
  }

  /**
   * Publishes the message's next delivery to its queue, once: alone on its channel
   * (PublishChannel.publishAlone), a refusal is this message's own, and sent again it is refused again.
   */
  private redeliver(message: ConsumeMessage, failedAttempt: number): Promise<void> {
    // The default exchange routes by queue name: only this group sees the redelivery.
    const options = redeliveryOptions(message, failedAttempt);
    return this.publishing.publishAlone({ exchange: '', routingKey: this.queue, content: message.content, options });
  }

  private async deadLetter(letter: OutgoingMessage): Promise<void> {
    await this.publishing.publishAlone(sendOf(letter, this.deps.exchange));
    this.deps.metrics.published.inc({ topic: letter.topic });
  }

  /**
   * Acks (`republished`: a copy is back in the queue), or gives back to the queue, and tells the
   * backlog tracker of this channel.
   */
  private settle(channel: Channel, message: ConsumeMessage, how: 'ack' | 'republished' | 'requeue'): void {
    try {
      if (how === 'requeue') channel.nack(message, false, true);
      else channel.ack(message);
    } catch {
      return; // the channel closed meanwhile: the broker has requeued the message
    }
    if (channel !== this.channel) return;
    const tag = message.fields.deliveryTag;
    if (how !== 'ack') this.tracker.requeued(tag);
    else if (this.tracker.settled(tag)) this.caughtUp(this.tracker);
  }
}
