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
 */
export class KafkaPublisher {
  private waiting: Waiting[] = [];
  private sending = false;

  constructor(private readonly producer: Producer, private readonly topics: KafkaTopics, private readonly metrics: Metrics) {}

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
    await this.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
  }
}
