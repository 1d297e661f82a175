import { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '../../../common/errors/infrastructure-error';
import type { AppConfig } from '../../../config/app-config';
import type { Metrics } from '../../../metrics/metrics';
import type { OutgoingMessage } from '../../message';
import type { ConsumerState, Subscription } from '../../message-consumer';
import { MessagingDriver } from '../../messaging-driver';
import { MemoryTopic } from './memory-topic';

/**
 * The in-process broker: the embedded default and the fast tests. Same contract as the real
 * brokers where it makes sense: topics, consumer groups (each group gets every message, a group's
 * consumers share them), at-least-once delivery, per-key order with concurrency across keys,
 * redelivery with attempt counting and dead-lettering. Messages live only as long as the process;
 * durability comes from the outbox, which republishes anything not yet handed over.
 */
export class MemoryDriver extends MessagingDriver {
  readonly driver = 'memory';
  private readonly logger = new Logger(MemoryDriver.name);
  private readonly topics = new Map<string, MemoryTopic>();
  private closed = false;
  /**
   * Set when Baton stops: a message published then would die with the process unconsumed, after
   * the outbox counted it sent, and its step wait for its timeout. Refused, it stays in the outbox
   * and goes out after the restart.
   */
  private stopping = false;

  constructor(private readonly config: AppConfig, private readonly metrics: Metrics) {
    super();
  }

  async connect(): Promise<void> {
    this.closed = false;
    this.stopping = false;
  }

  async close(): Promise<void> {
    await this.stopAll();
    this.closed = true;
  }

  isConnected(): boolean {
    return !this.closed;
  }

  /** Resolves once every message is queued for every group: there is nothing more durable to wait for. */
  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('The in-process broker is closed');
    if (this.stopping) throw new DependencyUnavailableError('The in-process broker is stopping: the outbox sends this after the restart', undefined);
    for (const message of messages) {
      this.topic(message.topic).append(message);
      this.metrics.published.inc({ topic: message.topic });
    }
  }

  async subscribe({ topic, group, handler, startAt }: Subscription): Promise<void> {
    if (this.closed) throw new Error('The in-process broker is closed');
    this.topic(topic).group(group, startAt).addConsumer(handler);
    this.logger.log(`Consuming ${topic} as ${group}`);
  }

  async unsubscribe({ topic, group, handler }: Subscription): Promise<void> {
    await this.topics.get(topic)?.existingGroup(group)?.removeConsumer(handler);
  }

  /** Nothing to do: a topic holds what is published until its first group subscribes (MemoryTopic). */
  async retainFor(): Promise<void> {}

  override shuttingDown(): void {
    this.stopping = true;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.topics.values()].map((t) => t.stop()));
  }

  consumers(): ConsumerState[] {
    return [...this.topics.values()].flatMap((t) => t.states());
  }

  private topic(name: string): MemoryTopic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = new MemoryTopic(name, {
        maxDeliveries: this.config.MESSAGING_MAX_DELIVERIES,
        metrics: this.metrics,
        logger: this.logger,
        deadLetter: (letter) => this.publish([letter]),
      });
      this.topics.set(name, topic);
    }
    return topic;
  }
}
