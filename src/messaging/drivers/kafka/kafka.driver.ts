import { Logger } from '@nestjs/common';
import { KafkaCoalescingSender, KafkaConnections, withTimeout } from '@baton/worker/internal';
import { Admin, Kafka, Partitioners } from 'kafkajs';
import type { AppConfig } from '../../../config/app-config';
import type { Metrics } from '../../../metrics/metrics';
import { AttemptCounter } from '../../delivery/attempt-counter';
import type { DeliveryFailures } from '../../delivery/delivery-failures';
import { errorMessage } from '../../../common/errors/error-message';
import { SubscriptionList } from '../../delivery/subscription-list';
import type { OutgoingMessage } from '../../message';
import type { ConsumerState, Subscription } from '../../message-consumer';
import { batonTopics } from '../../baton-topics';
import { MessagingDriver } from '../../messaging-driver';
import { createKafkaClient } from './kafka-client';
import { toKafkaMessage } from './kafka-message';
import { KafkaSubscription } from './kafka-subscription';
import { KafkaTopics } from './kafka-topics';

const PROBE_INTERVAL_MS = 5000;
const PROBE_TIMEOUT_MS = 3000;
/** A publish request's bounds: a partition's record batch must stay under the broker's 1 MB. */
const MAX_REQUEST_MESSAGES = 1000;
const MAX_REQUEST_BYTES = 512 * 1024;
/** A guard: an outage fails the publish, and the outbox sends it again. */
const SEND_TIMEOUT_MS = 30_000;
/**
 * How long close() waits for the producer and the admin client to disconnect: kafkajs waits for
 * their requests in flight first (a publish holds one up to SEND_TIMEOUT_MS). A message whose
 * publish is cut short stays in the outbox and goes out again after the restart.
 */
const DISCONNECT_WAIT_MS = 2_000;

/**
 * Kafka through kafkajs: messages keyed (per-key order through the partition), a consumer per
 * subscription, commits after processing, attempts counted per topic-partition-offset and
 * poison messages dead-lettered so they never block their partition.
 */
export class KafkaDriver extends MessagingDriver {
  readonly driver = 'kafka';
  private readonly logger = new Logger(KafkaDriver.name);
  private readonly kafka: Kafka;
  private readonly connections = new KafkaConnections();
  private readonly admin: Admin;
  private readonly topics: KafkaTopics;
  private readonly publisher: KafkaCoalescingSender;
  private readonly attempts: AttemptCounter;
  private readonly subscriptions = new SubscriptionList<KafkaSubscription>();
  private connecting?: Promise<void>;
  private connected = false;
  private probeTimer?: NodeJS.Timeout;

  /** `failures` keeps the counts of failed deliveries across restarts (Kafka keeps none). */
  constructor(private readonly config: AppConfig, private readonly metrics: Metrics, failures?: DeliveryFailures) {
    super();
    this.attempts = new AttemptCounter(failures, (error) =>
      this.logger.warn(`Could not store a failed delivery's count (${errorMessage(error)}); counting in memory`));
    this.kafka = createKafkaClient(config, new Logger('kafkajs'), this.connections);
    const newProducer = () => this.kafka.producer({
      allowAutoTopicCreation: false,
      // The murmur2 partitioner of the Java client: same key, same partition as other clients.
      createPartitioner: Partitioners.DefaultPartitioner,
      // acks=all (KafkaCoalescingSender) plus idempotence: a batch re-sent after a lost ack is not
      // written twice. It keeps the client's bounded retries (kafkajs warns: unbounded retries
      // would make publish() hang through an outage); a publish that gave up is retried by the
      // outbox and deduplicated downstream by x-message-id. Verified across broker restarts on
      // the single-node KRaft broker.
      idempotent: true,
    });
    this.admin = this.kafka.admin();
    this.topics = new KafkaTopics(this.admin, config.KAFKA_PARTITIONS);
    this.publisher = new KafkaCoalescingSender(newProducer, {
      maxMessages: MAX_REQUEST_MESSAGES, maxBytes: MAX_REQUEST_BYTES, timeoutMs: SEND_TIMEOUT_MS,
      beforeRequest: (topics) => this.topics.ensure(topics),
    });
  }

  connect(): Promise<void> {
    this.connecting ??= (async () => {
      this.connections.open();
      await Promise.all([this.publisher.connect(), this.admin.connect()]);
      await this.topics.ensure(batonTopics(this.config));
      this.connected = true;
      this.logger.log(`Connected to Kafka at ${this.config.KAFKA_BROKERS}`);
      this.scheduleProbe();
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /** Bounded: each consumer's stop (KafkaSubscription), then DISCONNECT_WAIT_MS for the rest. */
  async close(): Promise<void> {
    await this.stopAll();
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    await Promise.allSettled([this.publisher.disconnect(), this.admin.disconnect()]
      .map((disconnected) => withTimeout(disconnected, DISCONNECT_WAIT_MS, 'Disconnecting from Kafka')));
    // What a step cut short left running (a leave, a request waiting for its timeout) ends now,
    // rather than keep the process alive and log after it stopped.
    this.connections.close();
    this.connected = false;
    this.connecting = undefined;
  }

  isConnected(): boolean {
    return this.connected;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.connect();
    try {
      await this.publisher.send(messages.map((m) => ({ topic: m.topic, message: toKafkaMessage(m) })));
    } catch (error) {
      if (this.probeTimer) void this.probe(); // not once closed: it would reconnect the admin client
      throw error;
    }
    for (const m of messages) this.metrics.published.inc({ topic: m.topic });
  }

  async subscribe(subscription: Subscription): Promise<void> {
    await this.connect();
    const consumer = new KafkaSubscription(subscription, {
      kafka: this.kafka,
      admin: this.admin,
      topics: this.topics,
      partitions: this.config.KAFKA_PARTITIONS,
      maxDeliveries: this.config.MESSAGING_MAX_DELIVERIES,
      metrics: this.metrics,
      logger: this.logger,
      attempts: this.attempts,
      deadLetter: (letter) => this.publish([letter]),
    });
    this.subscriptions.add(consumer);
    try {
      await consumer.start();
    } catch (error) {
      this.subscriptions.remove(consumer);
      await consumer.stop().catch(() => undefined);
      throw error;
    }
    this.logger.log(`Consuming ${subscription.topic} as ${subscription.group}`);
  }

  unsubscribe(subscription: Subscription): Promise<void> {
    return this.subscriptions.stopOne(subscription);
  }

  /** Nothing to do: the topic retains its messages, and a new group starts at the earliest. */
  async retainFor(): Promise<void> {}

  stopAll(): Promise<void> {
    return this.subscriptions.stopAll();
  }

  consumers(): ConsumerState[] {
    return this.subscriptions.states();
  }

  /**
   * kafkajs reports no connection state of its own (it reconnects per request), so health asks
   * the cluster every few seconds, and right after a failed publish.
   */
  private scheduleProbe(): void {
    this.probeTimer = setTimeout(() => void this.probe().finally(() => {
      if (this.probeTimer) this.scheduleProbe();
    }), PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    try {
      await withTimeout(this.admin.describeCluster(), PROBE_TIMEOUT_MS, 'Kafka probe');
      if (!this.probeTimer) return; // closed meanwhile
      if (!this.connected) this.logger.log('Kafka is reachable again');
      this.connected = true;
    } catch (error) {
      if (this.connected) this.logger.warn(`Kafka is unreachable: ${errorMessage(error)}`);
      this.connected = false;
    }
  }
}
