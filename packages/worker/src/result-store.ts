/** What a successful handler returned, kept so that a redelivery replays it instead of running again. */
export interface RecordedResult {
  output: unknown;
  /**
   * Set when the output could not be sent (OUTPUT_REFUSED, OUTPUT_NOT_JSON): why. Replayed as the
   * success without its output, and the output is not kept.
   */
  droppedBecause?: string;
}

/** The FAILED reply a handler's failure was answered with, kept so that a duplicate of its command replays it. */
export interface RecordedFailure {
  /** The reply's error, as it was sent. */
  error: string;
  nonRetryable: boolean;
}

/**
 * Where the SDK records successful results by idempotency key, and failures by command id. The
 * default keeps them in process; a durable store (PostgreSQL in this package, Redis in the README's
 * recipe) also covers a worker that crashed after its effect but before Baton confirmed the reply.
 */
export interface ResultStore {
  get(idempotencyKey: string): Promise<RecordedResult | undefined>;
  /** Records once: a second put for the same key keeps the first result. */
  put(idempotencyKey: string, result: RecordedResult): Promise<void>;
  /**
   * Failures go by `commandId`, not by idempotency key: Baton's retry of a failed step is a new
   * command (a new commandId, the same key) and must run, while a duplicate delivery of the same
   * command must not. Optional, so that a store written for an earlier SDK still works: without
   * them, failures are not recorded and a duplicate of a failed command runs again.
   */
  getFailure?(commandId: string): Promise<RecordedFailure | undefined>;
  /** Records once, as put does. */
  putFailure?(commandId: string, failure: RecordedFailure): Promise<void>;
  close?(): Promise<void>;
}

/** The default: the most recent results, and apart from them the most recent failures, in bounded maps. */
export class MemoryResultStore implements ResultStore {
  private readonly results: FirstWins<RecordedResult>;
  private readonly failures: FirstWins<RecordedFailure>;

  constructor(maxEntries = 10_000) {
    this.results = new FirstWins(maxEntries);
    this.failures = new FirstWins(maxEntries);
  }

  async get(key: string): Promise<RecordedResult | undefined> {
    return this.results.get(key);
  }

  async put(key: string, result: RecordedResult): Promise<void> {
    this.results.add(key, result);
  }

  async getFailure(commandId: string): Promise<RecordedFailure | undefined> {
    return this.failures.get(commandId);
  }

  async putFailure(commandId: string, failure: RecordedFailure): Promise<void> {
    this.failures.add(commandId, failure);
  }
}

/** A map that keeps the first value per key, and past its bound evicts the oldest key. */
class FirstWins<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  add(key: string, value: V): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
