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
  private unknown = false;

  constructor(readonly since: Date, private readonly partitions: readonly number[]) {}

  /** Every message of `partition` up to `offset` was handled (or dead-lettered). */
  handledUpTo(partition: number, offset: string): void {
    const value = BigInt(offset);
    if (value > (this.handled.get(partition) ?? -1n)) this.handled.set(partition, value);
  }

  /** What the group found at the join; partitions not assigned to this member are not its to apply. */
  found(waiting: WaitingPartition[]): void {
    this.lastWaiting = new Map(waiting
      .filter((w) => this.partitions.includes(w.partition) && BigInt(w.next) < BigInt(w.high))
      .map((w) => [w.partition, BigInt(w.high) - 1n]));
  }

  /** The watermarks could not be read: the consumer cannot tell when it caught up. */
  lost(): void {
    this.unknown = true;
  }

  backlog(): Backlog {
    if (this.unknown) return { kind: 'unknown' };
    // Messages published after the join are live traffic, not backlog: they are not waited for.
    const caughtUp = this.lastWaiting !== undefined
      && [...this.lastWaiting].every(([partition, last]) => (this.handled.get(partition) ?? -1n) >= last);
    return caughtUp ? { kind: 'applied' } : { kind: 'applying', since: this.since };
  }
}
