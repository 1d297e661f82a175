import type { Backlog } from '../../message-consumer';

/** One partition as the group found it when it joined (offsets as kafkajs gives them: decimal strings). */
export interface WaitingPartition {
  partition: number;
  /** The offset the group reads next: its committed offset, or where a group without one starts. */
  next: string;
  /** The high watermark: the offset the next message published to the partition will get. */
  high: string;
}

/**
 * Where a group resumes on each partition, from the topic's watermarks and the group's committed
 * offsets (`-1`: none). Without a commit it starts at the low watermark (`earliest`) or the high
 * one (`latest`); a commit older than the retained log resumes at the low watermark.
 */
export function waitingPartitions(
  watermarks: { partition: number; low: string; high: string }[],
  committed: { partition: number; offset: string }[],
  fromBeginning: boolean,
): WaitingPartition[] {
  const commitOf = new Map(committed.filter((c) => BigInt(c.offset) >= 0n).map((c) => [c.partition, BigInt(c.offset)]));
  return watermarks.map(({ partition, low, high }) => {
    const commit = commitOf.get(partition);
    const next = commit === undefined ? (fromBeginning ? low : high) : (commit > BigInt(low) ? commit.toString() : low);
    return { partition, next, high };
  });
}

/**
 * The messages waiting in a consumer's partitions when it joined its group, and how far its
 * handlers got through them. Caught up once, on every assigned partition, the handled offset
 * reaches the last one that existed at the join (the high watermark then, minus one), or the
 * group had already read it all. A rebalance starts a new tracker: a partition taken over from
 * another member brings that member's unapplied messages.
 */
export class BacklogTracker {
  private readonly handled = new Map<number, bigint>();
  /** Partition → the last offset to handle; unset until the watermarks were read. */
  private lastWaiting?: Map<number, bigint>;
  /** How many messages waited at the join, on this member's partitions. */
  waiting = 0;
  private unknown = false;
  private caughtUpAt?: Date;

  constructor(readonly since: Date, private readonly partitions: readonly number[]) {}

  /** Every message of `partition` up to `offset` was handled (or dead-lettered). True when that caught it up. */
  handledUpTo(partition: number, offset: string, now = new Date()): boolean {
    const value = BigInt(offset);
    if (value > (this.handled.get(partition) ?? -1n)) this.handled.set(partition, value);
    return this.settle(now);
  }

  /** What the group found at the join; partitions not assigned to this member are not its to apply. True when nothing was left. */
  found(waiting: WaitingPartition[], now = new Date()): boolean {
    const mine = waiting.filter((w) => this.partitions.includes(w.partition) && BigInt(w.next) < BigInt(w.high));
    this.lastWaiting = new Map(mine.map((w) => [w.partition, BigInt(w.high) - 1n]));
    this.waiting = mine.reduce((n, w) => n + Number(BigInt(w.high) - BigInt(w.next)), 0);
    return this.settle(now);
  }

  /** The watermarks could not be read: the consumer cannot tell when it caught up. */
  lost(): void {
    this.unknown = true;
  }

  /** How long catching up took, once it did. */
  catchUpMs(): number | undefined {
    return this.caughtUpAt && this.caughtUpAt.getTime() - this.since.getTime();
  }

  backlog(): Backlog {
    if (this.unknown) return { kind: 'unknown' };
    return this.caughtUpAt ? { kind: 'applied' } : { kind: 'applying', since: this.since };
  }

  /** Messages published after the join are live traffic, not backlog: once caught up, it stays so. */
  private settle(now: Date): boolean {
    if (this.caughtUpAt || !this.lastWaiting) return false;
    if (![...this.lastWaiting].every(([partition, last]) => (this.handled.get(partition) ?? -1n) >= last)) return false;
    this.caughtUpAt = now;
    return true;
  }
}
