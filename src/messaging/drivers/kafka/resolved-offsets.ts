import type { TopicPartitionOffsetAndMetadata } from 'kafkajs';

/**
 * The last offset each partition's handlers finished: what the next commit sends. Commits happen
 * once a second and on stop (kafkajs's per-batch commit halves the throughput), so a stop between
 * two timer commits still hands no already handled message to the next consumer.
 */
export class ResolvedOffsets {
  private readonly resolved = new Map<number, string>();

  constructor(private readonly topic: string) {}

  resolve(partition: number, offset: string): void {
    this.resolved.set(partition, offset);
  }

  /** After a rebalance: a partition now owned by another member is not ours to commit. */
  keepOnly(partitions: number[]): void {
    for (const partition of [...this.resolved.keys()]) {
      if (!partitions.includes(partition)) this.resolved.delete(partition);
    }
  }

  /** What to commit: Kafka stores the offset of the next message to read. Forgets them. */
  take(): TopicPartitionOffsetAndMetadata[] {
    const offsets = [...this.resolved].map(([partition, offset]) =>
      ({ topic: this.topic, partition, offset: (BigInt(offset) + 1n).toString() }));
    this.resolved.clear();
    return offsets;
  }
}
