/** What a successful handler returned, kept so that a redelivery replays it instead of running again. */
export interface RecordedResult {
  output: unknown;
}

/**
 * Where the SDK records successful results by idempotency key. The default keeps them in process;
 * a durable store (PostgreSQL in this package, Redis in the README's recipe) also covers a worker
 * that crashed after its effect but before Baton confirmed the reply.
 */
export interface ResultStore {
  get(idempotencyKey: string): Promise<RecordedResult | undefined>;
  /** Records once: a second put for the same key keeps the first result. */
  put(idempotencyKey: string, result: RecordedResult): Promise<void>;
  close?(): Promise<void>;
}

/** The default: the most recent results in a bounded map (oldest evicted first). */
export class MemoryResultStore implements ResultStore {
  private readonly results = new Map<string, RecordedResult>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(key: string): Promise<RecordedResult | undefined> {
    return this.results.get(key);
  }

  async put(key: string, result: RecordedResult): Promise<void> {
    if (this.results.has(key)) return;
    this.results.set(key, result);
    if (this.results.size > this.maxEntries) this.results.delete(this.results.keys().next().value as string);
  }
}
