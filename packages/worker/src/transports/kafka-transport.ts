import type { Consumer, Kafka, KafkaMessage, SASLOptions } from 'kafkajs';
import type { KafkaSasl } from './kafka-shapes';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorText, type WorkerLogger } from '../logger';
import { TimeoutError, withTimeout } from '../with-timeout';
import { DEFAULT_MAX_REPLY_BYTES } from '../output-rules';
import type { Slots } from '../slots';
import { currentTraceHeaders, traceHeadersOf } from '../tracing';
import { malformedFields, parseCommand, type WireReply } from '../wire';
import { commandTopicOf, DEFAULT_REPLY_TOPIC, loadPeer, type BrokerNames } from './broker-names';
import type { BrokerRoute } from './broker-route';
import { brokerDelivery } from './broker-delivery';
import { KafkaCoalescingSender } from './kafka-coalescing-sender';
import { consumeCommandBatch } from './kafka-command-batch';
import { KafkaConnections } from './kafka-connections';
import { ConsumerKeeper } from './kafka-consumer-keeper';
import { kafkaLogCreator } from './kafka-log';
import { OffsetCommits } from './offset-commits';
import type { Delivery, Transport } from './transport';

export interface KafkaTransportOptions extends BrokerNames {
  brokers: string[];
  clientId?: string;
  /** Default: the service name, so a service's instances share its commands. */
  groupId?: string;
  /** Partitions of the command topic when the SDK creates it (Baton's KAFKA_PARTITIONS). Default 3. */
  partitions?: number;
  /** The service's own broker identity, on clusters that enforce ACLs (README, Kafka ACLs). */
  sasl?: KafkaSasl;
  ssl?: boolean;
}

const CREATE_ATTEMPTS = 6;
/** Replies in one request, at most: one per handler finished while the previous request was out. */
const MAX_REPLY_REQUEST = { maxMessages: 500, maxBytes: 512 * 1024 };
/** A reply not acknowledged by then fails, and its command comes again. */
const REPLY_TIMEOUT_MS = 30_000;
const REBALANCE_TIMEOUT_MS = 300_000;
/**
 * How long close() waits for the offsets due to be committed: a broker that does not answer holds a
 * commit for kafkajs's request timeout (30 s), and the coordinator's lookup retries as long again.
 * An offset left uncommitted only brings its command again, for the result store to answer: its
 * reply was acknowledged before the offset was due.
 */
const COMMIT_WAIT_MS = 2_000;
/**
 * How long close() waits for the consumer to leave its group. Amid a rebalance, kafkajs's
 * disconnect waits for the join, up to the rebalance timeout; past this close() resolves and the
 * leave goes on in the background. A process that exits then is dropped by the group once its
 * session expires. An idle consumer leaves within its fetch's 500 ms. With COMMIT_WAIT_MS, close()
 * takes at most 5 s (the reply producer's DISCONNECT_WAIT_MS runs beside them): stop() after the
 * default drainTimeoutMs (25 s) fits the 30 s Kubernetes grants before it kills.
 */
const LEAVE_WAIT_MS = 3_000;
/**
 * How long close() waits for the reply producer to disconnect, beside the commits and the leave:
 * kafkajs waits for its requests in flight first, a reply's up to REPLY_TIMEOUT_MS. A reply cut
 * short was not acknowledged, so its command's offset was not committed and the command comes
 * again. Baton's own producer waits as long.
 */
const DISCONNECT_WAIT_MS = 2_000;

/**
 * Consumes the service's command topic in one consumer group and replies on the reply topic,
 * running a partition's commands at once up to the worker's concurrency (consumeCommandBatch). An
 * offset is committed only after the reply was acknowledged by the brokers (acks=all), so a
 * crash redelivers the command; the commit goes in the background (OffsetCommits), so the
 * partition's next commands do not wait for it. A command given back (its reply failed, or the
 * result store did) is never committed: its batch ends, and kafkajs fetches the partition again
 * from it.
 */
export class KafkaTransport implements Transport {
  readonly registration: Record<string, string>;
  readonly route: BrokerRoute;
  readonly maxReplyBytes: number = DEFAULT_MAX_REPLY_BYTES.kafka;
  private readonly kafkajs = loadPeer<typeof import('kafkajs')>('kafkajs');
  private readonly kafka: Kafka;
  /** Ended by close(): what kafkajs still runs then (a leave, a reply) neither holds the process nor logs. */
  private readonly connections = new KafkaConnections();
  private readonly consumers: ConsumerKeeper;
  private replies?: KafkaCoalescingSender;
  private readonly topic: string;
  private readonly replyTopic: string;
  private commitsFailing = false;
  private readonly commits = new OffsetCommits((c) => this.commit(c));

  constructor(private readonly service: string, private readonly options: KafkaTransportOptions, private readonly logger: WorkerLogger) {
    const { Kafka: KafkaClient, logLevel } = this.kafkajs;
    this.kafka = new KafkaClient({
      clientId: options.clientId ?? service, brokers: this.connections.brokersOf(options.brokers), socketFactory: this.connections.socketFactory,
      logLevel: logLevel.WARN, logCreator: kafkaLogCreator((level, message, details) => {
        if (this.connections.isOpen) logger[level](details, message);
      }),
      ...(options.ssl ? { ssl: true } : {}), ...(options.sasl ? { sasl: options.sasl as unknown as SASLOptions } : {}),
    });
    this.topic = commandTopicOf(service, options);
    this.replyTopic = options.replyTopic ?? DEFAULT_REPLY_TOPIC;
    this.route = { driver: 'kafka', replyTopic: this.replyTopic };
    // Offsets still due belong to the consumer replaced: the new one reads from the last commit anyway,
    // and committing them through it could overwrite a newer commit of another instance.
    this.consumers = new ConsumerKeeper(() => this.subscribedConsumer(), () => this.commits.forget(), logger, this.topic);
    this.registration = { topic: this.topic };
  }

  async prepare(): Promise<void> {
    await this.createCommandTopic();
    // Replies coalesce: those that come while a request is out go together in the next one. kafkajs's
    // default partitioner since v2 is named, so that it does not warn about the change on every start.
    this.replies = new KafkaCoalescingSender(() => this.kafka.producer({
      idempotent: true, maxInFlightRequests: 1, createPartitioner: this.kafkajs.Partitioners.DefaultPartitioner,
    }), { ...MAX_REPLY_REQUEST, timeoutMs: REPLY_TIMEOUT_MS });
    await this.replies.connect();
    await this.consumers.prepare();
  }

  async start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    await this.consumers.start((consumer) => consumer.run({
      partitionsConsumedConcurrently: slots.size,
      // kafkajs commits every offset its handler returned from; a command given back must not be.
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => consumeCommandBatch(payload, {
        slots,
        taking: () => this.consumers.isTaking(consumer),
        handOver: (message) => this.handOver(payload.batch.topic, message, receive),
        // A consumer replaced meanwhile leaves it uncommitted: the command comes again anyway.
        handledUpTo: (offset) => {
          if (this.consumers.isCurrent(consumer)) this.commits.handled(payload.batch.topic, payload.batch.partition, offset);
        },
        flushCommits: () => this.commits.flush(),
      }),
    }));
  }

  async pause(): Promise<void> {
    this.consumers.pause();
  }

  async close(): Promise<void> {
    this.consumers.pause();
    // The reply producer disconnects beside the commits and the leave, which do not use it: close() stays within their 5 s.
    const [left, disconnected] = await Promise.allSettled([this.leaveGroup(), this.disconnectReplies()]);
    this.connections.close();
    for (const outcome of [left, disconnected]) if (outcome.status === 'rejected') throw outcome.reason;
  }

  private async leaveGroup(): Promise<void> {
    await this.flushCommits();
    await this.consumers.disconnect(LEAVE_WAIT_MS);
  }

  private async disconnectReplies(): Promise<void> {
    try {
      if (this.replies) await withTimeout(this.replies.disconnect(), DISCONNECT_WAIT_MS, 'disconnecting the reply producer');
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      this.logger.warn({ topic: this.replyTopic }, `the reply producer did not disconnect within ${DISCONNECT_WAIT_MS} ms; closed without it`);
    }
  }

  /** Before the leave: once out of its group, the consumer's commits are refused. */
  private async flushCommits(): Promise<void> {
    try {
      await withTimeout(this.commits.flush(), COMMIT_WAIT_MS, 'committing offsets');
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      this.logger.warn({ topic: this.topic }, `offsets not committed within ${COMMIT_WAIT_MS} ms, closed without them: their commands may come again`);
    }
  }

  private async subscribedConsumer(): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId ?? this.service, sessionTimeout: 10_000,
      // How long the group waits, at a rebalance, for a member to finish its running handlers and
      // rejoin, past which it hands their partitions on and their commands run elsewhere as well:
      // five minutes, the Java client's default (max.poll.interval.ms), not kafkajs's one minute.
      rebalanceTimeout: REBALANCE_TIMEOUT_MS,
      // kafkajs's disconnect waits for the fetch under way, which an idle broker holds this long:
      // at its default (5 s) every stop() took 5 s. A broker answers at once when there is data.
      maxWaitTimeInMs: 500,
    });
    try {
      // Offsets still due at a rejoin could land after the partition's next owner committed, and
      // move its offset back: dropped, their commands come again and the result store answers them.
      consumer.on(consumer.events.REBALANCING, () => this.commits.forget());
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      return consumer;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  // The broker may not auto-create topics, and one it did create would have the wrong partition count.
  // Right after creation its metadata can lag ("does not host this topic-partition"): try again.
  // An existing topic is left alone: kafkajs logs an "already exists" answer at error level.
  private async createCommandTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if ((await admin.listTopics().catch((): string[] => [])).includes(this.topic)) return;
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.createTopics({ topics: [{ topic: this.topic, numPartitions: this.options.partitions ?? 3 }], waitForLeaders: true });
          return;
        } catch (e) {
          if (!(e as { retriable?: boolean }).retriable || attempt >= CREATE_ATTEMPTS) throw e;
          await sleep(250 * attempt);
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  // Resolves true once the command was acknowledged, false once it was given back. A message that
  // is not a command counts as handled: it would never be one.
  private handOver(topic: string, message: KafkaMessage, receive: (delivery: Delivery) => void): Promise<boolean> {
    let command;
    try {
      command = parseCommand(message.value ?? Buffer.alloc(0));
    } catch (error) {
      this.logger.error({ topic, offset: message.offset, ...malformedFields(error) }, `not a command, skipped: ${errorText(error)}`);
      return Promise.resolve(true);
    }
    const send = (reply: WireReply) => this.sendReply(reply, command.correlationId);
    return new Promise<boolean>((resolve) => receive(brokerDelivery({
      command, trace: traceHeadersOf(message.headers), send,
      ack: async () => resolve(true),
      requeue: async () => resolve(false),
    })));
  }

  private sendReply(reply: WireReply, correlationId: string): Promise<void> {
    return this.replies!.send([{ topic: this.replyTopic, message: { key: reply.flowId, value: JSON.stringify(reply), headers: {
      'content-type': 'application/json', 'x-correlation-id': correlationId, ...currentTraceHeaders(),
    } } }]);
  }

  // A failed commit (a rebalance, an outage) only means the command comes again, and its recorded
  // result is replayed. Warned once until a commit succeeds: through an outage every commit fails.
  private async commit({ topic, partition, offset }: { topic: string; partition: number; offset: string }): Promise<void> {
    try {
      await this.consumers.current!.commitOffsets([{ topic, partition, offset }]);
    } catch (error) {
      // One cut short by close() (its bound passed, its connection ended) was warned of there.
      if (!this.commitsFailing && this.connections.isOpen) this.logger.warn({ topic, partition, offset }, `offset commit failed, the command may come again: ${errorText(error)}`);
      this.commitsFailing = true;
      return;
    }
    if (this.commitsFailing) this.logger.info({ topic }, 'offset commits succeed again');
    this.commitsFailing = false;
  }
}
