import { CatchUpTracker } from '../../delivery/catch-up-tracker';

/**
 * Whether a consumer has applied what waited in its queue when it (re)attached. RabbitMQ keeps no
 * offsets, so the backlog is judged from the queue's ready count, read on the consuming channel.
 * Once that reads 0, every message enqueued before has left the queue for a consumer; one more
 * round trip on the channel lets the deliveries the broker made to this channel before answering
 * reach it (on a classic queue, the channel writes them before its next answer), and the last tag
 * seen then is the mark. Caught up once the deliveries up to the mark are settled. A requeued
 * message is back in the queue: the mark is taken again. A new channel (a reconnect) starts a new
 * tracker.
 */
export class RabbitBacklog extends CatchUpTracker {
  private readonly unsettled = new Set<number>();
  private lastDelivered = 0;
  /** The last delivery tag seen once the queue read empty: every earlier message has been delivered. */
  private mark?: number;
  /** How many messages went back to the queue: a count read before one of them cannot be trusted. */
  private requeues = 0;

  /** Whether the queue has read empty (and no message went back to it since): only settling is left. */
  get marked(): boolean {
    return this.mark !== undefined;
  }

  /** The messages delivered before the queue read empty: those waiting at the attach, and live ones meanwhile. */
  get waiting(): number {
    return this.mark ?? this.lastDelivered;
  }

  delivered(tag: number): void {
    if (this.applied) return;
    this.unsettled.add(tag);
    this.lastDelivered = Math.max(this.lastDelivered, tag);
  }

  /** Acknowledged, or republished and acknowledged: this consumer is done with it. True when that caught it up. */
  settled(tag: number, now = new Date()): boolean {
    if (this.applied) return false;
    this.unsettled.delete(tag);
    return this.settle(now);
  }

  /** Given back to the queue, or a copy republished to it: delivered again later, so the queue must read empty again. */
  requeued(tag: number): void {
    if (this.applied) return;
    this.unsettled.delete(tag);
    this.mark = undefined;
    this.requeues++;
  }

  /** Taken before the queue's count is read, and handed to `emptied`. */
  counting(): number {
    return this.requeues;
  }

  /**
   * The queue read empty (counted as `counting` returned), and a later round trip on the channel
   * returned. True when that caught it up. Ignored if a message was requeued since the count.
   */
  emptied(counted: number, now = new Date()): boolean {
    if (this.applied || counted !== this.requeues) return false;
    this.mark = this.lastDelivered;
    return this.settle(now);
  }

  private settle(now: Date): boolean {
    const mark = this.mark;
    if (this.applied || mark === undefined) return false;
    for (const tag of this.unsettled) if (tag <= mark) return false;
    this.unsettled.clear();
    return this.caughtUp(now);
  }
}
