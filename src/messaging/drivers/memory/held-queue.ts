import { FifoQueue } from '../../delivery/fifo-queue';

/**
 * What the in-process broker keeps for nobody (a topic before its first consumer group, a group
 * without a consumer: a service whose HTTP pollers went away): at most this many messages and
 * bytes, the oldest dropped first, as a RabbitMQ queue with `x-max-length`, `x-max-length-bytes`
 * and `drop-head` does. Commands carry their run's payload, so the bytes usually bind first.
 */
export const HELD_LIMIT = { messages: 10_000, bytes: 64 * 1024 * 1024 };

/** The limit as the broker's log lines say it. */
export const HELD_LIMIT_TEXT = `${HELD_LIMIT.messages} messages or ${HELD_LIMIT.bytes / 1024 / 1024} MiB`;

/** A FIFO queue that knows the bytes it holds, and drops its oldest while over HELD_LIMIT when asked. */
export class HeldQueue<T> {
  private items = new FifoQueue<T>();
  private bytes = 0;
  /** Set once it began to drop: told once, until `reset`. */
  private dropping = false;

  constructor(private readonly sizeOf: (item: T) => number) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.bytes += this.sizeOf(item);
  }

  shift(): T | undefined {
    const item = this.items.shift();
    if (item !== undefined) this.bytes -= this.sizeOf(item);
    return item;
  }

  unshiftAll(items: T[]): void {
    this.items.unshiftAll(items);
    for (const item of items) this.bytes += this.sizeOf(item);
  }

  /** Empties it, handing over what it held in order. */
  takeAll(): T[] {
    const all = this.items.toArray();
    this.items = new FifoQueue();
    this.bytes = 0;
    return all;
  }

  /**
   * Drops the oldest while over HELD_LIMIT (the newest always stays). How many it dropped; `first`
   * is true once per episode, for the holder to say so once.
   */
  dropOver(): { dropped: number; first: boolean } {
    let dropped = 0;
    while (this.items.length > 1 && (this.items.length > HELD_LIMIT.messages || this.bytes > HELD_LIMIT.bytes)) {
      this.shift();
      dropped++;
    }
    const first = dropped > 0 && !this.dropping;
    if (dropped > 0) this.dropping = true;
    return { dropped, first };
  }

  /** A consumer came: a later episode is told again. */
  reset(): void {
    this.dropping = false;
  }
}
