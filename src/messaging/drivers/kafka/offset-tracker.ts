/**
 * Which offset of a partition may be committed. Messages with different keys finish out of order,
 * and the next fetch's messages are taken while earlier ones still run, but Kafka commits one
 * position per partition: only the end of the longest run of finished messages from the oldest
 * unfinished one is safe, or a crash would skip an unfinished message.
 */
export class OffsetTracker {
  /** Offsets taken and not yet part of a committable prefix, in fetch order (a Map keeps insertion order). */
  private readonly pending = new Map<string, boolean>();

  /** Offsets must be tracked in the order the partition holds them. */
  track(offset: string): void {
    this.pending.set(offset, false);
  }

  /** Marks `offset` finished; returns the highest offset now safe to commit, if it moved. */
  complete(offset: string): string | undefined {
    if (!this.pending.has(offset)) throw new Error(`Offset ${offset} is not tracked`);
    this.pending.set(offset, true);
    let committable: string | undefined;
    for (const [pendingOffset, done] of this.pending) {
      if (!done) break;
      this.pending.delete(pendingOffset);
      committable = pendingOffset;
    }
    return committable;
  }
}
