import { LRUCache } from 'lru-cache';
import type { DeliveryFailures } from './delivery-failures';

/**
 * Failed deliveries per message id, for brokers that do not count them (Kafka): the count has to
 * survive the consumer being restarted or rebalanced, so it lives outside the consumer, and with a
 * durable store (DeliveryFailures) it survives the process too. Memory keeps this process's counts,
 * bounded: the least recently failed go first, so a flood of failures cannot grow it without limit (an
 * evicted message just gets a few more attempts).
 */
export class AttemptCounter {
  private readonly failures: LRUCache<string, number>;

  constructor(
    private readonly durable?: DeliveryFailures,
    /** The durable store failed: counting goes on in memory only (the database is probably down). */
    private readonly onStoreError: (error: unknown) => void = () => undefined,
    capacity = 10_000,
  ) {
    this.failures = new LRUCache({ max: capacity });
  }

  /** The attempt number of the next delivery of `id` (1 when it never failed here). */
  nextAttempt(id: string): number {
    return (this.failures.get(id) ?? 0) + 1;
  }

  /** Counts a failed delivery; resolves to the failures in all, counting those of earlier processes. */
  async recordFailure(id: string): Promise<number> {
    let count = (this.failures.get(id) ?? 0) + 1;
    if (this.durable) {
      try {
        count = Math.max(count, await this.durable.record(id));
      } catch (error) {
        this.onStoreError(error);
      }
    }
    this.failures.set(id, count);
    return count;
  }

  /**
   * The message was acknowledged (handled or dead-lettered). Only a message that failed here has a
   * stored count to remove: the rare one that failed only in an earlier process is left to pruning.
   */
  async forget(id: string): Promise<void> {
    if (!this.failures.delete(id) || !this.durable) return;
    await this.durable.forget(id).catch((error: unknown) => this.onStoreError(error));
  }
}
