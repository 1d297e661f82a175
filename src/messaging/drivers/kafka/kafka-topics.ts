import type { Admin } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';

const CREATE_ATTEMPTS = 6;

/**
 * Creates topics on first use with our partition count (broker auto-creation would pick its own
 * default and leave no DLQ). Each topic is asked for once per process; a failed attempt is
 * forgotten so the next use tries again. Topics the broker already lists are not created again:
 * kafkajs logs every "already exists" answer at error level, as "Topic creation errors".
 */
export class KafkaTopics {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(private readonly admin: Admin, private readonly partitions: number) {}

  async ensure(topics: Iterable<string>): Promise<void> {
    const wanted = [...new Set(topics)];
    const unknown = wanted.filter((topic) => !this.ensured.has(topic));
    // A failed listing only costs the check: creating an existing topic is a no-op.
    const existing = unknown.length > 0 ? new Set(await this.admin.listTopics().catch(() => [])) : new Set<string>();
    await Promise.all(wanted.map((topic) => this.ensureOne(topic, existing.has(topic))));
  }

  private ensureOne(topic: string, exists: boolean): Promise<void> {
    let ensured = this.ensured.get(topic);
    if (!ensured) {
      // One topic per call: with several, kafkajs skips waiting for leaders as soon as one existed.
      ensured = exists ? Promise.resolve() : this.create(topic);
      this.ensured.set(topic, ensured);
      ensured.catch(() => this.ensured.delete(topic));
    }
    return ensured;
  }

  /**
   * Right after a broker (re)start, or right after creation, the metadata of a new topic can lag
   * and kafkajs reports "does not host this topic-partition" while waiting for leaders. Creating
   * an existing topic is a no-op, so a retriable error is simply tried again.
   */
  private async create(topic: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.admin.createTopics({ topics: [{ topic, numPartitions: this.partitions, replicationFactor: 1 }], waitForLeaders: true });
        return;
      } catch (e) {
        if (!(e as { retriable?: boolean }).retriable || attempt >= CREATE_ATTEMPTS) throw e;
        await sleep(250 * attempt);
      }
    }
  }
}
