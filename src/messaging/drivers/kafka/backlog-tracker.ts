import type { Backlog } from '../../message-consumer';
import { CatchUpTracker } from '../../delivery/catch-up-tracker';

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
 * The messages waiting in a topic when a consumer joined its group, and how far the group got
 * through them. Caught up once, on every partition, the group has handled up to the last offset
 * that existed at the join (the high watermark then, minus one), or had already read it all.
 * The whole group, not just this member: a healer times out any run's attempts, and a partition
 * assigned to another member (one that died without leaving holds its partitions until its
 * session expires) may hold their replies. This member's partitions count what its handlers
 * finished; the others, what the group committed. A rebalance starts a new tracker.
 */
export class BacklogTracker extends CatchUpTracker {
  private readonly handled = new Map<number, bigint>();
  /** Partition → the last offset to handle; unset until the watermarks were read. */
  private lastWaiting?: Map<number, bigint>;
  /** How many messages waited at the join. */
  waiting = 0;
  private unknown = false;

  /** Every message of `partition` up to `offset` was handled (or dead-lettered). True when that caught it up. */
  handledUpTo(partition: number, offset: string, now = new Date()): boolean {
    // Called for every handled message: once caught up, nothing is left to count.
    if (this.applied) return false;
    const value = BigInt(offset);
    if (value > (this.handled.get(partition) ?? -1n)) this.handled.set(partition, value);
    return this.settle(now);
  }

  /** The group committed `offset` (the next to read) for a partition: every earlier one was handled. */
  committed(partition: number, offset: string, now = new Date()): boolean {
    return BigInt(offset) > 0n ? this.handledUpTo(partition, (BigInt(offset) - 1n).toString(), now) : false;
  }

  /** What the group found at the join. True when nothing was left to apply. */
  found(waiting: WaitingPartition[], now = new Date()): boolean {
    const behind = waiting.filter((w) => BigInt(w.next) < BigInt(w.high));
    this.lastWaiting = new Map(behind.map((w) => [w.partition, BigInt(w.high) - 1n]));
    this.waiting = behind.reduce((n, w) => n + Number(BigInt(w.high) - BigInt(w.next)), 0);
    return this.settle(now);
  }

  /** The watermarks could not be read: the consumer cannot tell when it caught up. */
  lost(): void {
    this.unknown = true;
  }

  override backlog(): Backlog {
    return this.unknown ? { kind: 'unknown' } : super.backlog();
  }

  private settle(now: Date): boolean {
    if (this.applied || !this.lastWaiting) return false;
    if (![...this.lastWaiting].every(([partition, last]) => (this.handled.get(partition) ?? -1n) >= last)) return false;
    return this.caughtUp(now);
  }
}
