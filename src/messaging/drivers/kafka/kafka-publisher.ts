import { Producer, TopicMessages } from 'kafkajs';
import type { Metrics } from '../../../metrics/metrics';
import type { OutgoingMessage } from '../../message';
import { toKafkaMessage } from './kafka-message';
import type { KafkaTopics } from './kafka-topics';
import { withTimeout } from '../../delivery/with-timeout';

interface Waiting {
  messages: OutgoingMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_REQUEST_MESSAGES = 1000;
const MAX_REQUEST_BYTES = 512 * 1024;
/** A guard only: kafkajs's bounded retries normally give up well before. */
const SEND_TIMEOUT_MS = 30_000;

/**
 * Sends through one producer with one request in flight, coalescing the publish() calls that
 * arrive meanwhile into the next request (group commit). That keeps the order of calls, even
 * across retries, without relying on kafkajs's idempotent producer under concurrency, and turns
 * many small sends into few large ones.
 *
 * After a failed send the producer is replaced. An idempotent producer whose batch failed in
 * flight (a broker restart, our timeout) can keep the old sequence numbers and be refused on that
 * partition for good (the fault suite saw run status events stuck after a Kafka restart); a new
 * producer gets a new producer id and starts clean. The outbox retries the failed messages.
 */
export class KafkaPublisher {
  private waiting: Waiting[] = [];
  private sending = false;
  private producer: Producer;
  private ready?: Promise<void>;

  constructor(private readonly newProducer: () => Producer, private readonly topics: KafkaTopics, private readonly metrics: Metrics) {
    this.producer = newProducer();
  }

  connect(): Promise<void> {
    this.ready ??= this.producer.connect().catch((error: unknown) => {
      this.ready = undefined; // the next send tries again
      throw error;
    });
    return this.ready;
  }

  disconnect(): Promise<void> {
    this.ready = undefined;
    return this.producer.disconnect();
  }

  private renewProducer(): void {
    const old = this.producer;
    this.producer = this.newProducer();
    this.ready = undefined;
    void old.disconnect().catch(() => undefined);
  }

  publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject });
      if (!this.sending) void this.sendAll();
    });
  }

  private async sendAll(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      const messages = batch.flatMap((w) => w.messages);
      try {
        await withTimeout(this.send(messages), SEND_TIMEOUT_MS, 'Kafka publish');
        for (const m of messages) this.metrics.published.inc({ topic: m.topic });
        for (const w of batch) w.resolve();
      } catch (error) {
        this.renewProducer();
        for (const w of batch) w.reject(error);
      }
    }
    this.sending = false;
  }

  /** In requests of bounded size, one after another: a partition's record batch must stay under the broker's 1 MB. */
  private async send(messages: OutgoingMessage[]): Promise<void> {
    let start = 0;
    while (start < messages.length) {
      let end = start;
      let bytes = 0;
      while (end < messages.length && end - start < MAX_REQUEST_MESSAGES && bytes < MAX_REQUEST_BYTES) {
        bytes += messages[end++].body.length;
      }
      await this.sendRequest(messages.slice(start, end));
      start = end;
    }
  }

  private async sendRequest(messages: OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<string, TopicMessages>();
    for (const message of messages) {
      let entry = byTopic.get(message.topic);
      if (!entry) byTopic.set(message.topic, (entry = { topic: message.topic, messages: [] }));
      entry.messages.push(toKafkaMessage(message));
    }
    await this.topics.ensure(byTopic.keys());
    await this.connect();
    await this.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
  }
}
