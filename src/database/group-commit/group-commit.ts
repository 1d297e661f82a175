import { takeBatch } from './take-batch';

export interface GroupCommitOptions<I, O> {
  /** Most items written by one `many`. */
  maxBatch: number;
  /** Writes in flight at once: an item that finds fewer goes at once. */
  maxInFlight: number;
  /** Items that share a key never go in one batch (see takeBatch). */
  keysOf(item: I): readonly string[];
  /** Writes one item alone: the path every item takes when nothing else waits. */
  one(item: I): Promise<O>;
  /** Writes several items in one round trip, all or none, and returns their results in order. */
  many(items: I[]): Promise<O[]>;
}

interface Waiting<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/**
 * Adaptive group commit: an item that arrives while fewer than `maxInFlight` writes are in flight
 * goes at once and alone, so one in flight pays no wait; items that arrive meanwhile queue, and
 * when a write in flight returns, the queued ones go together. Batches grow with the load and cost nothing
 * without it. If a batch fails, its items are written again one by one, so an item that fails
 * for its own reason (a constraint, a deadlock) fails alone and the others get their own results.
 */
export class GroupCommit<I, O> {
  private readonly queue: Array<Waiting<I, O>> = [];
  private flying = 0;

  constructor(private readonly options: GroupCommitOptions<I, O>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.flying < this.options.maxInFlight) void this.fly();
    });
  }

  /** Writes batches until the queue is empty; the first one leaves in the same tick as the `submit` that started it. */
  private async fly(): Promise<void> {
    this.flying++;
    try {
      while (this.queue.length > 0) {
        await this.write(takeBatch(this.queue, this.options.maxBatch, (w) => this.options.keysOf(w.item)));
      }
    } finally {
      this.flying--;
    }
  }

  private async write(batch: Array<Waiting<I, O>>): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]);
    let results: O[];
    try {
      results = await this.options.many(batch.map((w) => w.item));
    } catch {
      await Promise.all(batch.map((w) => this.alone(w)));
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]));
  }

  private async alone(waiting: Waiting<I, O>): Promise<void> {
    try {
      waiting.resolve(await this.options.one(waiting.item));
    } catch (error) {
      waiting.reject(error);
    }
  }
}
