/** One commit: the offset the partition's group reads next. Reports its own failure; never rejects. */
export type CommitOffset = (commit: { topic: string; partition: number; offset: string }) => Promise<void>;

interface Due {
  topic: string;
  partition: number;
  offset: bigint;
}

/**
 * Commits each partition's progress in the background, one commit at a time per partition, always
 * the latest offset due: a partition's next command does not wait for the previous one's commit,
 * and the commands finished while a commit is out go in the next one. A crash before a commit
 * only means those commands come again, and the result store answers them.
 */
export class OffsetCommits {
  private readonly due = new Map<string, Due>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly commit: CommitOffset) {}

  /** The message at `offset` was handled: the partition's group may read from the next one. */
  handled(topic: string, partition: number, offset: string): void {
    const key = `${partition}@${topic}`;
    const next = BigInt(offset) + 1n;
    const waiting = this.due.get(key);
    if (!waiting || next > waiting.offset) this.due.set(key, { topic, partition, offset: next });
    if (!this.inFlight.has(key)) this.inFlight.set(key, this.drain(key));
  }

  /** Drops the offsets not yet sent (a commit in flight still completes). */
  forget(): void {
    this.due.clear();
  }

  /** Resolves once every offset due so far was committed (or its commit failed). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private async drain(key: string): Promise<void> {
    // Yield first: what else is handled in the same tick goes in the first commit.
    await Promise.resolve();
    try {
      for (let due = this.due.get(key); due; due = this.due.get(key)) {
        this.due.delete(key);
        await this.commit({ topic: due.topic, partition: due.partition, offset: due.offset.toString() });
      }
    } finally {
      this.inFlight.delete(key);
    }
  }
}
