import type { Admin } from 'kafkajs';

/**
 * Creates topics on first use with our partition count (broker auto-creation would pick its own
 * default and leave no DLQ). Each topic is asked for once per process; a failed attempt is
 * forgotten so the next use tries again.
 */
export class KafkaTopics {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(private readonly admin: Admin, private readonly partitions: number) {}

  async ensure(topics: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(topics)].map((topic) => this.ensureOne(topic)));
  }

  private ensureOne(topic: string): Promise<void> {
    let ensured = this.ensured.get(topic);
    if (!ensured) {
      // One topic per call: with several, kafkajs skips waiting for leaders as soon as one existed.
      ensured = this.admin
        .createTopics({ topics: [{ topic, numPartitions: this.partitions, replicationFactor: 1 }], waitForLeaders: true })
        .then(() => undefined);
      this.ensured.set(topic, ensured);
      ensured.catch(() => this.ensured.delete(topic));
    }
    return ensured;
  }
}
