/**
 * Failed deliveries per message id, for brokers that do not count them (Kafka): the count has to
 * survive the consumer being restarted or rebalanced, so it lives outside the consumer. Bounded:
 * the oldest entries go first, so a flood of failures cannot grow it without limit (an evicted
 * message just gets a few more attempts).
 */
export class AttemptCounter {
  private readonly failures = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** The attempt number of the next delivery of `id` (1 when it never failed). */
  nextAttempt(id: string): number {
    return (this.failures.get(id) ?? 0) + 1;
  }

  recordFailure(id: string): void {
    const count = (this.failures.get(id) ?? 0) + 1;
    this.failures.delete(id); // re-insert: Map order is insertion order, newest last
    this.failures.set(id, count);
    if (this.failures.size > this.capacity) {
      const oldest = this.failures.keys().next().value as string;
      this.failures.delete(oldest);
    }
  }

  /** The message was acknowledged (handled or dead-lettered). */
  forget(id: string): void {
    this.failures.delete(id);
  }
}
