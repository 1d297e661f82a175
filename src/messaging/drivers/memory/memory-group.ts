import type { Logger } from '@nestjs/common';
import type { Metrics } from '../../../metrics/metrics';
import { deliverInPlace } from '../../delivery/deliver-in-place';
import { DependencyWaits } from '../../delivery/dependency-waits';
import { HELD_LIMIT_TEXT, HeldQueue } from './held-queue';
import { KeyedSerialExecutor } from '../../delivery/keyed-serial-executor';
import { MESSAGE_ID_HEADER, type IncomingMessage, type MessageHandler, type OutgoingMessage } from '../../message';

/** A published message as the in-process broker keeps it; `offset` orders it within its topic. */
export interface StoredMessage {
  offset: number;
  topic: string;
  key?: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Delivery {
  message: StoredMessage;
  attempt: number;
}

export interface GroupDeps {
  maxDeliveries: number;
  metrics: Metrics;
  logger: Logger;
  deadLetter: (message: OutgoingMessage) => Promise<void>;
}

/** Messages one group has in flight, like a RabbitMQ prefetch window. */
const MAX_IN_FLIGHT = 256;

/**
 * One consumer group on one topic: its own queue of every message of the topic, shared by the
 * group's consumers (round robin). Unlike RabbitMQ, the group-wide executor keeps per-key order
 * across all of the group's consumers, since everything runs in this process.
 */
export class MemoryGroup {
  /**
   * Unbounded while the group has a consumer (one that falls behind catches up, and a dropped reply
   * would run its step again); within HELD_LIMIT while it has none, so that a service whose HTTP
   * pollers went away cannot fill the heap. A command dropped so was never handled: its attempt
   * times out and the step is retried or failed.
   */
  private readonly queue = new HeldQueue<Delivery>((d) => d.message.body.length);
  private readonly handlers: MessageHandler[] = [];
  private readonly executor = new KeyedSerialExecutor(MAX_IN_FLIGHT);
  private nextHandler = 0;
  private scheduled = false;
  private stopping = false;
  /** Taken out of the queue but not acknowledged when the group stopped: delivered again first. */
  private returned: Delivery[] = [];
  /** Each consumer's deliveries under way, which removeConsumer waits for. */
  private readonly running = new Map<MessageHandler, Set<Promise<unknown>>>();
  private readonly waits = new DependencyWaits();

  constructor(readonly topic: string, readonly name: string, private readonly deps: GroupDeps) {}

  get consumerCount(): number {
    return this.handlers.length;
  }

  /** Since when a delivery of the group's has waited out an outage, while one does. */
  get waitingSince(): Date | undefined {
    return this.waits.since;
  }

  enqueue(message: StoredMessage): void {
    this.queue.push({ message, attempt: 1 });
    if (this.handlers.length === 0) this.dropOverLimit();
    this.schedule();
  }

  addConsumer(handler: MessageHandler): void {
    this.queue.reset();
    this.handlers.push(handler);
    this.takeBackReturned();
    this.schedule();
  }

  /**
   * Takes one consumer out: its deliveries under way end, and what it did not acknowledge goes to
   * the group's other consumers in its key's order (deliver), or, with none left, to the next one
   * that comes (takeBackReturned).
   */
  async removeConsumer(handler: MessageHandler): Promise<void> {
    const index = this.handlers.indexOf(handler);
    if (index < 0) return;
    this.handlers.splice(index, 1);
    await Promise.all(this.running.get(handler) ?? []);
  }

  /** Lets running handlers finish, then keeps every unacknowledged message for the next consumer. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.executor.onIdle();
    this.handlers.length = 0;
    this.takeBackReturned();
    this.stopping = false;
  }

  private dropOverLimit(): void {
    const { dropped, first } = this.queue.dropOver();
    if (dropped > 0) this.deps.metrics.dropped.inc({ topic: this.topic }, dropped);
    if (first) {
      this.deps.logger.warn(`Nothing consumes ${this.topic} as ${this.name}, which holds ${HELD_LIMIT_TEXT}: `
        + 'its oldest are dropped from now on, until a consumer comes');
    }
  }

  /** What was handed out and not acknowledged goes to the front of the queue, in offset order. */
  private takeBackReturned(): void {
    if (this.returned.length === 0) return;
    this.queue.unshiftAll(this.returned.sort((a, b) => a.message.offset - b.message.offset));
    this.returned = [];
  }

  // One setImmediate per burst, not per message: publish() returns before any handler runs, and
  // a long queue is fed to the executor in windows without starving I/O.
  private schedule(): void {
    if (this.scheduled || this.stopping || this.handlers.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopping && this.handlers.length > 0 && this.executor.size < MAX_IN_FLIGHT) {
      const delivery = this.queue.shift();
      if (!delivery) return;
      const handler = this.handlers[this.nextHandler++ % this.handlers.length];
      this.executor.submit(delivery.message.key, () => this.deliver(delivery, handler));
    }
  }

  /**
   * A delivery whose consumer was removed (before it ran, or while it ran unacknowledged) goes to
   * another consumer within this same task, so the executor still holds its key and the key's
   * later messages wait behind it: its order holds. With no consumer left, or the group stopping,
   * it is kept for the next one.
   */
  private async deliver(first: Delivery, chosen: MessageHandler): Promise<void> {
    let delivery = first;
    let handler = chosen;
    for (;;) {
      if (!this.stopping && !this.handlers.includes(handler) && this.handlers.length > 0) {
        handler = this.handlers[this.nextHandler++ % this.handlers.length];
      }
      if (this.stopping || !this.handlers.includes(handler)) {
        this.returned.push(delivery);
        return;
      }
      const current = handler;
      const outcome = await this.tracked(current, deliverInPlace(toIncoming(delivery), current, {
        ...this.deps,
        waits: this.waits,
        stopping: () => this.stopping || !this.handlers.includes(current),
      }));
      if (outcome.acked) break;
      delivery = { message: delivery.message, attempt: outcome.nextAttempt };
    }
    if (this.queue.length > 0) this.schedule();
  }

  private async tracked<T>(handler: MessageHandler, delivery: Promise<T>): Promise<T> {
    const mine = this.running.get(handler) ?? new Set<Promise<unknown>>();
    this.running.set(handler, mine);
    mine.add(delivery);
    try {
      return await delivery;
    } finally {
      mine.delete(delivery);
      if (mine.size === 0) this.running.delete(handler);
    }
  }
}

function toIncoming({ message, attempt }: Delivery): IncomingMessage {
  const position = `${message.topic}:0:${message.offset}`;
  return {
    id: message.headers[MESSAGE_ID_HEADER] ?? position,
    position,
    topic: message.topic,
    key: message.key,
    headers: { ...message.headers },
    body: Buffer.from(message.body), // a handler that mutates its copy must not change another group's
    deliveryAttempt: attempt,
  };
}
