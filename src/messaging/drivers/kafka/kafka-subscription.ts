import { OffsetTracker, withTimeout } from '@baton/worker/internal';
import type { Logger } from '@nestjs/common';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Metrics } from '../../../metrics/metrics';
import type { AttemptCounter } from '../../delivery/attempt-counter';
import { deliverInPlace } from '../../delivery/deliver-in-place';
import { DependencyWaits } from '../../delivery/dependency-waits';
import { errorMessage } from '../../../common/errors/error-message';
import { KeyedSerialExecutor } from '../../delivery/keyed-serial-executor';
import { deadLetterTopicOf, type OutgoingMessage } from '../../message';
import type { Backlog, ConsumerState, Subscription } from '../../message-consumer';
import { BacklogTracker, waitingPartitions } from './backlog-tracker';
import { stopWithin } from './consumer-stop';
import { positionOf, toIncoming } from './kafka-message';
import type { KafkaTopics } from './kafka-topics';
import { ResolvedOffsets } from './resolved-offsets';

export interface KafkaSubscriptionDeps {
  kafka: Kafka;
  /** Connected: reads the watermarks and committed offsets a joining consumer must catch up with. */
  admin: Admin;
  topics: KafkaTopics;
  partitions: number;
  maxDeliveries: number;
  metrics: Metrics;
  logger: Logger;
  /** Shared by every consumer of the driver, so counts outlive a restarted or rebalanced consumer. */
  attempts: AttemptCounter;
  deadLetter: (message: OutgoingMessage) => Promise<void>;
}

/** Messages of one partition's batch handled at once (different keys only). */
const MAX_IN_FLIGHT_PER_PARTITION = 256;
const MAX_RESTART_DELAY_MS = 30_000;
const COMMIT_INTERVAL_MS = 1000;
/** Reading the backlog at a join: past this the consumer reports it cannot tell (the healer's fallback). */
const BACKLOG_READ_TIMEOUT_MS = 5000;
/** How often a consumer catching up reads the group's commits (each member commits once a second). */
const GROUP_PROGRESS_POLL_MS = 1000;

/** A worker service's group (shared with its SDK workers, whose Kafka transport sets the same). */
const WORKERS_GROUP_REBALANCE_TIMEOUT_MS = 300_000;

/**
 * One kafkajs consumer for one subscription (its group). Offsets are resolved only after the
 * handler resolved (or the message was dead-lettered), and only as far as every earlier message
 * of the batch is done, so a failure or a crash never commits past an unhandled message.
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
  /** The messages that were waiting at the latest group join, and how far the handlers got. */
  private tracker?: BacklogTracker;
  private readonly waits = new DependencyWaits();

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

  get backlog(): Backlog {
    return this.tracker?.backlog() ?? { kind: 'unknown' };
  }

  get waitingSince(): Date | undefined { return this.waits.since; }

  /** Commits what was handled, then waits for the running batches (and so the running handlers) to finish and leaves the group, bounded. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.commitTimer);
    // A batch still running commits its own progress when it sees the stop (handleBatch).
    await stopWithin(this.consumer, async () => {
      await this.committing;
      await this.commitResolved();
    }, `Consumer ${this.subscription.group} on ${this.subscription.topic}`, this.deps.logger);
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
      // A worker service's group is its own, shared with its SDK workers, who consume one topic in it.
      groupId: this.subscription.workersGroup ? group : `${group}.${topic}`,
      allowAutoTopicCreation: false,
      // Long polls end this soon when idle, which bounds how long stop() waits for a fetch.
      maxWaitTimeInMs: 500,
      // A restarted consumer joins as a new member and the group waits for the old one's session
      // to expire before it rebalances (kafkajs has no static membership): 6 s is the broker's
      // default minimum. Batches heartbeat on their own (onBatch), and stop() leaves the group.
      sessionTimeout: 6000,
      heartbeatInterval: 1500,
      // A rebalance waits for every running batch, and Baton holds a service's commands in theirs
      // until its HTTP workers answer (HttpWorkerHub): the five minutes the SDK's members give, not
      // kafkajs's one, before a member still holding them is dropped and its commands run elsewhere too.
      ...(this.subscription.workersGroup ? { rebalanceTimeout: WORKERS_GROUP_REBALANCE_TIMEOUT_MS } : {}),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.resolved.keepOnly(payload.memberAssignment[topic] ?? []);
      this.tracker = new BacklogTracker(new Date());
      void this.readBacklog(this.tracker, payload.groupId);
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
   * What waited in the topic at the join: the high watermarks, against the group's committed
   * offsets. Then, until caught up, the group's commits every second: they show the progress on
   * partitions other members hold.
   */
  private async readBacklog(tracker: BacklogTracker, groupId: string): Promise<void> {
    const { topic, startAt } = this.subscription;
    const { admin } = this.deps;
    const committedOffsets = async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
    try {
      const [watermarks, committed] = await withTimeout(Promise.all([admin.fetchTopicOffsets(topic), committedOffsets()]),
        BACKLOG_READ_TIMEOUT_MS, `Reading the backlog of ${groupId}`);
      if (tracker.found(waitingPartitions(watermarks, committed, startAt !== 'latest'))) this.reportCaughtUp(tracker);
    } catch (error) {
      tracker.lost();
      this.deps.logger.warn(`Could not read the backlog of ${groupId} on ${topic} (${errorMessage(error)}); `
        + 'step timeouts fall back to a fixed catch-up delay');
      return;
    }
    const following = () => !this.stopping && this.tracker === tracker && tracker.backlog().kind === 'applying';
    while (following()) {
      await sleep(GROUP_PROGRESS_POLL_MS);
      // Again after the wait: stop() may have disconnected the admin client, which a request would reconnect.
      if (!following()) return;
      const committed = await withTimeout(committedOffsets(), BACKLOG_READ_TIMEOUT_MS, 'Group offsets').catch(() => []);
      for (const c of committed) if (tracker.committed(c.partition, c.offset)) this.reportCaughtUp(tracker);
    }
  }

  private reportCaughtUp(tracker: BacklogTracker): void {
    const { topic, group } = this.subscription;
    this.deps.logger.log(`Consumer ${group} on ${topic} applied the ${tracker.waiting} message(s) waiting at its group join `
      + `in ${tracker.catchUpMs()} ms`);
  }

  /**
   * kafkajs restarts a consumer itself after a retriable crash; after any other (docs/stack-notes.md, "Brokers": it then
   * stays down) we replace it, with backoff. Either way we report 'restarting' until it rejoins.
   */
  private onCrash(consumer: Consumer, error: Error, restartingItself: boolean): void {
    if (this.stopping) {
      // kafkajs sets its restart timer right after this event: cancel it, or a stopped consumer (a
      // leave that failed against a broker that stopped answering) joins and consumes again.
      if (restartingItself) setImmediate(() => void consumer.stop().catch(() => undefined));
      return;
    }
    if (consumer !== this.consumer) return;
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
    const { heartbeat, isRunning, isStale } = payload;
    let failure: unknown;
    const halted = () => this.stopping || !isRunning() || isStale() || failure !== undefined;
    // Once halted, the handlers still running are told to hand their messages over: the rebalance, or the stop, waits for them.
    const handOver = new AbortController();
    const fail = (error: unknown) => {
      failure ??= error; // a rebalance: stop taking messages, hand the error to kafkajs below
      handOver.abort();
    };
    // kafkajs heartbeats only between batches and when asked: keep the session alive while slow
    // handlers run (heartbeat() itself sends at most one per heartbeatInterval).
    const beating = setInterval(() => {
      if (halted()) handOver.abort();
      heartbeat().catch(fail);
    }, 1000);
    try {
      await this.handleBatch(payload, halted, fail, handOver.signal);
    } finally {
      clearInterval(beating);
    }
    if (failure !== undefined) throw failure;
  }

  private async handleBatch(
    { batch, resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets }: EachBatchPayload,
    halted: () => boolean, fail: (error: unknown) => void, handedOver: AbortSignal,
  ): Promise<void> {
    const offsets = new OffsetTracker(batch.messages.map((m) => m.offset));
    const executor = new KeyedSerialExecutor(MAX_IN_FLIGHT_PER_PARTITION);
    for (const message of batch.messages) {
      await executor.whenSizeBelow(MAX_IN_FLIGHT_PER_PARTITION);
      if (halted()) break;
      executor.submit(message.key?.toString(), async () => {
        if (halted()) return;
        if (!(await this.deliver(batch.topic, batch.partition, message, halted, handedOver))) return;
        const committable = offsets.complete(message.offset);
        if (committable === undefined) return;
        resolveOffset(committable);
        this.resolved.resolve(batch.partition, committable);
        const backlog = this.tracker;
        if (backlog?.handledUpTo(batch.partition, committable)) this.reportCaughtUp(backlog);
      });
    }
    await executor.onIdle();
    // Stopping or rebalancing: hand over what was handled (kafkajs would skip it with autoCommit off).
    if (halted()) await commitOffsetsIfNecessary(uncommittedOffsets()).catch(fail);
  }

  /** True when the message was acknowledged (handled or dead-lettered). */
  private async deliver(
    topic: string, partition: number, message: KafkaMessage, halted: () => boolean, handedOver: AbortSignal,
  ): Promise<boolean> {
    const { attempts } = this.deps;
    const position = `${this.subscription.group}/${positionOf(topic, partition, message.offset)}`;
    const outcome = await deliverInPlace(
      { ...toIncoming(topic, partition, message, attempts.nextAttempt(position)), handedOver },
      this.subscription.handler,
      { ...this.deps, stopping: halted, onFailure: () => attempts.recordFailure(position), waits: this.waits },
    );
    if (outcome.acked) await attempts.forget(position);
    return outcome.acked;
  }
}
