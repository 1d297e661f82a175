import type { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Metrics } from '../../../metrics/metrics';
import type { AttemptCounter } from '../../delivery/attempt-counter';
import { deliverInPlace } from '../../delivery/deliver-in-place';
import { KeyedSerialExecutor } from '../../delivery/keyed-serial-executor';
import { deadLetterTopicOf, type OutgoingMessage } from '../../message';
import type { ConsumerState, Subscription } from '../../message-consumer';
import { positionOf, toIncoming } from './kafka-message';
import type { KafkaTopics } from './kafka-topics';
import { OffsetTracker } from './offset-tracker';
import { ResolvedOffsets } from './resolved-offsets';

export interface KafkaSubscriptionDeps {
  kafka: Kafka;
  topics: KafkaTopics;
  partitions: number;
  maxDeliveries: number;
  metrics: Metrics;
  logger: Logger;
  /** Shared by every consumer of the driver, so counts outlive a restarted or rebalanced consumer. */
  attempts: AttemptCounter;
  deadLetter: (message: OutgoingMessage) => Promise<void>;
}

/** Messages taken from fetches and not yet handled, all partitions together (different keys run at once). */
const MAX_IN_FLIGHT = 512;
const MAX_RESTART_DELAY_MS = 30_000;
const COMMIT_INTERVAL_MS = 1000;

/**
 * One kafkajs consumer for one subscription (its group). Offsets are resolved only after the
 * handler resolved (or the message was dead-lettered), and only as far as every earlier message
 * of the partition is done, so a failure or a crash never commits past an unhandled message.
 * Commits go out once a second and when the consumer stops, not after every batch as kafkajs's
 * autoCommit does (that halves throughput): a crash may repeat up to a second of handled
 * messages (at least once; consumers deduplicate), never skip one.
 */
export class KafkaSubscription {
  state: ConsumerState['state'] = 'restarting';
  private readonly resolved: ResolvedOffsets;
  private consumer?: Consumer;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private commitTimer?: NodeJS.Timeout;
  private committing?: Promise<void>;
  private restarts = 0;
  private readonly executor = new KeyedSerialExecutor(MAX_IN_FLIGHT);
  /** Per partition, for the current group generation: replaced on every join. */
  private progress = new Map<number, OffsetTracker>();

  constructor(readonly subscription: Subscription, private readonly deps: KafkaSubscriptionDeps) {
    this.resolved = new ResolvedOffsets(subscription.topic);
  }

  /**
   * Resolves once the consumer is connected and subscribed, before its group join completes: after
   * a kill -9 the coordinator waits out the dead member's session before the join ends, and the
   * engine serves HTTP meanwhile (the consumer reports 'restarting' until it has joined).
   */
  async start(): Promise<void> {
    const { topic } = this.subscription;
    await this.deps.topics.ensure([topic, deadLetterTopicOf(topic)]);
    await this.run();
    this.commitTimer = setInterval(() => void this.commitResolved(), COMMIT_INTERVAL_MS);
  }

  /** Waits for the running handlers to finish (none starts now), commits what they finished, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.commitTimer);
    await this.executor.onIdle();
    await this.committing;
    await this.commitResolved();
    await this.consumer?.disconnect();
    this.state = 'stopped';
  }

  private async commitResolved(): Promise<void> {
    if (this.committing) return this.committing;
    const consumer = this.consumer;
    if (!consumer || this.state !== 'running') return;
    const offsets = this.resolved.take();
    if (offsets.length === 0) return;
    this.committing = consumer.commitOffsets(offsets)
      .catch((error: Error) => {
        // Rebalancing or disconnected: the next owner starts from the previous commit (at least once).
        this.deps.logger.debug(`Commit of ${this.subscription.group} failed: ${error.message}`);
      })
      .finally(() => {
        this.committing = undefined;
      });
    return this.committing;
  }

  /** Connects and subscribes a new consumer, then joins and consumes in the background. */
  private async run(): Promise<void> {
    const { topic, group } = this.subscription;
    const consumer = this.deps.kafka.consumer({
      // One Kafka group per (group, topic), like RabbitMQ's queue per (group, topic): kafkajs's
      // assigners hand every topic of a group to all its members regardless of what each member
      // subscribed to, so the engine's three subscriptions in CONSUMER_GROUP would drop each
      // other's partitions ("received unsubscribed topics") and replies would never be consumed.
      groupId: `${group}.${topic}`,
      allowAutoTopicCreation: false,
      // Long polls end this soon when idle, which bounds how long stop() waits for a fetch.
      maxWaitTimeInMs: 500,
      // A restarted consumer joins as a new member and the group waits for the old one's session
      // to expire before it rebalances (kafkajs has no static membership): 6 s is the broker's
      // default minimum. Batches heartbeat on their own (onBatch), and stop() leaves the group.
      sessionTimeout: 6000,
      heartbeatInterval: 1500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.resolved.keepOnly(payload.memberAssignment[topic] ?? []);
      this.progress = new Map();
      this.state = 'running';
      this.restarts = 0;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload.error, payload.restart));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: this.subscription.startAt !== 'latest' });
    // kafkajs's run() resolves only after the join; a join that fails is restarted like a crash.
    void consumer.run({
      partitionsConsumedConcurrently: this.deps.partitions,
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: (payload) => this.onBatch(payload),
    }).then(async () => {
      if (this.stopping) await consumer.disconnect(); // stop() ran meanwhile and may have missed it
    }).catch((error: Error) => {
      if (this.stopping || consumer !== this.consumer) return;
      this.deps.logger.warn(`Consumer ${group} on ${topic} could not join: ${error.message}`);
      this.scheduleRestart(consumer);
    });
  }

  /**
   * kafkajs restarts a consumer itself after a retriable crash; after any other (NOTES: it then
   * stays down) we replace it, with backoff. Either way we report 'restarting' until it rejoins.
   */
  private onCrash(consumer: Consumer, error: Error, restartingItself: boolean): void {
    if (this.stopping || consumer !== this.consumer) return;
    const { topic, group } = this.subscription;
    const line = `Consumer ${group} on ${topic} crashed: ${error.message}; `
      + (restartingItself ? 'kafkajs restarts it' : 'replacing it');
    // Once per outage: while the broker is down it crashes again on every restart attempt.
    if (this.state === 'running') this.deps.logger.error(line);
    else this.deps.logger.debug(line);
    this.state = 'restarting';
    if (!restartingItself) this.scheduleRestart(consumer);
  }

  private scheduleRestart(crashed: Consumer): void {
    const delay = Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** this.restarts++);
    this.restartTimer = setTimeout(() => {
      void crashed.disconnect().catch(() => undefined)
        .then(() => (this.stopping ? undefined : this.run()))
        .catch((error: Error) => {
          this.deps.logger.error(`Restarting consumer ${this.subscription.group} failed: ${error.message}`);
          if (!this.stopping && this.consumer) this.scheduleRestart(this.consumer);
        });
    }, delay);
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    let failure: unknown;
    const fail = (error: unknown) => {
      failure ??= error; // a rebalance: stop taking messages, hand the error to kafkajs below
    };
    // kafkajs heartbeats only between batches and when asked: keep the session alive while a full
    // executor holds this batch back (heartbeat() itself sends at most one per heartbeatInterval).
    const beating = setInterval(() => payload.heartbeat().catch(fail), 1000);
    try {
      const halted = () => this.stopping || !payload.isRunning() || payload.isStale() || failure !== undefined;
      await this.takeBatch(payload, halted);
      // Rebalancing: hand over what the handlers finished so far; the rest comes again (at least once).
      if (halted() && !this.stopping) await this.commitResolved();
    } finally {
      clearInterval(beating);
    }
    if (failure !== undefined) throw failure;
  }

  /**
   * Hands the batch's messages to the executor and returns as soon as they are taken, not handled:
   * kafkajs fetches again only after every batch of its last fetch returned, so waiting for the
   * slowest handler (a database write) would stall all partitions meanwhile. kafkajs's resolved
   * offset is thus only its fetch position; what is committed is what handlers finished
   * (OffsetTracker, ResolvedOffsets). After a rejoin kafkajs fetches from the committed offsets
   * again: the handlers of the previous generation still finish, but resolve nothing.
   */
  private async takeBatch({ batch, resolveOffset }: EachBatchPayload, halted: () => boolean): Promise<void> {
    const generation = this.progress;
    let tracker = generation.get(batch.partition);
    if (!tracker) generation.set(batch.partition, (tracker = new OffsetTracker()));
    const sameGeneration = () => generation === this.progress;
    const current = () => !this.stopping && sameGeneration();
    for (const message of batch.messages) {
      await this.executor.whenSizeBelow(MAX_IN_FLIGHT);
      if (halted() || !current()) break;
      tracker.track(message.offset);
      resolveOffset(message.offset);
      this.executor.submit(message.key?.toString(), async () => {
        if (!current() || !(await this.deliver(batch.topic, batch.partition, message, () => !current()))) return;
        const committable = tracker.complete(message.offset);
        // Also while stopping: stop() commits what the handlers finished meanwhile.
        if (committable !== undefined && sameGeneration()) this.resolved.resolve(batch.partition, committable);
      });
    }
  }

  /** True when the message was acknowledged (handled or dead-lettered). */
  private async deliver(topic: string, partition: number, message: KafkaMessage, halted: () => boolean): Promise<boolean> {
    const { attempts } = this.deps;
    const position = `${this.subscription.group}/${positionOf(topic, partition, message.offset)}`;
    const outcome = await deliverInPlace(
      toIncoming(topic, partition, message, attempts.nextAttempt(position)),
      this.subscription.handler,
      { ...this.deps, stopping: halted, onFailure: () => attempts.recordFailure(position) },
    );
    if (outcome.acked) await attempts.forget(position);
    return outcome.acked;
  }
}
