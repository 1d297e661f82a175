import type { Backlog } from '../../message-consumer';

/**
 * Whether a consumer has applied what waited in its queue when it (re)attached. RabbitMQ keeps no
 * offsets, so the backlog is judged from the queue's ready count, read on the consuming channel:
 * a channel's frames arrive in order, so when that count reads 0 every message enqueued before it
 * was read has been delivered to this channel, with a delivery tag no higher than the last one
 * seen. Caught up once those deliveries are settled. Messages enqueued later are live traffic:
 * once caught up, it stays so. A new channel (a reconnect) starts a new tracker.
 */
export class RabbitBacklog {
  private readonly unsettled = new Set<number>();
  private lastDelivered = 0;
  /** The last delivery tag seen when the queue read empty: every earlier message has been delivered. */
  private mark?: number;
  private caughtUpAt?: Date;

  constructor(readonly since: Date) {}

  get applied(): boolean {
    return this.caughtUpAt !== undefined;
  }

  delivered(tag: number): void {
    if (this.applied) return;
    this.unsettled.add(tag);
    this.lastDelivered = Math.max(this.lastDelivered, tag);
  }

  /** Acknowledged, rejected or republished: this consumer is done with it. True when that caught it up. */
  settled(tag: number, now = new Date()): boolean {
    if (this.applied) return false;
    this.unsettled.delete(tag);
    return this.settle(now);
  }

  /** The queue's ready count, read on the consuming channel. True when that caught it up. */
  counted(ready: number, now = new Date()): boolean {
    if (this.applied || ready > 0) return false;
    this.mark ??= this.lastDelivered;
    return this.settle(now);
  }

  /** The messages delivered before the queue first read empty: those waiting at the attach, and live ones meanwhile. */
  get waiting(): number {
    return this.mark ?? this.lastDelivered;
  }

  /** How long catching up took, once it did. */
  catchUpMs(): number | undefined {
    return this.caughtUpAt && this.caughtUpAt.getTime() - this.since.getTime();
  }

  backlog(): Backlog {
    return this.applied ? { kind: 'applied' } : { kind: 'applying', since: this.since };
  }

  private settle(now: Date): boolean {
    const mark = this.mark;
    if (this.applied || mark === undefined) return false;
    for (const tag of this.unsettled) if (tag <= mark) return false;
    this.caughtUpAt = now;
    this.unsettled.clear();
    return true;
  }
}
