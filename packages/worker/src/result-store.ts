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
  /**
   * Records once: a second put for the same key keeps the first result. `outputJson` is the output
   * as the JSON text of its reply, when the reply carries one: a store may keep it rather than
   * serialise `output` again (which would also take in changes the handler made to it since).
   */
  put(idempotencyKey: string, result: RecordedResult, outputJson?: string): Promise<void>;
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

export interface MemoryResultStoreOptions {
  /** Results kept, at most; as many failures apart from them. Default 10,000. */
  maxEntries?: number;
  /** Bytes (UTF-8) of keys and results kept, at most; as many of failures apart from them. Default 64 MiB. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** A result as the memory store keeps it: the output's JSON text, never the handler's object. */
interface KeptResult {
  json?: string;
  droppedBecause?: string;
}

/**
 * The default: the most recent results, and apart from them the most recent failures, in maps
 * bounded by count and by bytes (outputs are not bounded over HTTP, so 10,000 of them could fill
 * the heap). A number given is `maxEntries`, as before.
 */
export class MemoryResultStore implements ResultStore {
  private readonly results: FirstWins<KeptResult>;
  private readonly failures: FirstWins<RecordedFailure>;

  constructor(options: number | MemoryResultStoreOptions = {}) {
    const { maxEntries = 10_000, maxBytes = DEFAULT_MAX_BYTES } = typeof options === 'number' ? { maxEntries: options } : options;
    for (const [name, value] of [['maxEntries', maxEntries], ['maxBytes', maxBytes]] as const) {
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`MemoryResultStore: ${name} must be a positive integer, not ${String(value)}`);
    }
    this.results = new FirstWins(maxEntries, maxBytes);
    this.failures = new FirstWins(maxEntries, maxBytes);
  }

  async get(key: string): Promise<RecordedResult | undefined> {
    const kept = this.results.get(key);
    if (!kept) return undefined;
    if (kept.droppedBecause !== undefined) return { output: undefined, droppedBecause: kept.droppedBecause };
    // Parsed at each replay: every copy gets its own value, whatever an earlier one's handler did to it.
    return { output: kept.json === undefined ? undefined : JSON.parse(kept.json) };
  }

  async put(key: string, result: RecordedResult, outputJson?: string): Promise<void> {
    const kept: KeptResult = result.droppedBecause !== undefined
      ? { droppedBecause: result.droppedBecause }
      : { json: outputJson ?? (result.output === undefined ? undefined : JSON.stringify(result.output)) };
    this.results.add(key, kept, byteLength(key) + byteLength(kept.json ?? kept.droppedBecause));
  }

  async getFailure(commandId: string): Promise<RecordedFailure | undefined> {
    return this.failures.get(commandId);
  }

  async putFailure(commandId: string, failure: RecordedFailure): Promise<void> {
    this.failures.add(commandId, { error: failure.error, nonRetryable: failure.nonRetryable }, byteLength(commandId) + byteLength(failure.error));
  }
}

function byteLength(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text);
}

/**
 * A map that keeps the first value per key and, past its bounds, evicts the oldest keys. The newest
 * stays even alone over `maxBytes`: evicted, its command's next copy would run the handler again.
 */
class FirstWins<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxEntries: number, private readonly maxBytes: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  add(key: string, value: V, bytes: number): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    while (this.entries.size > 1 && (this.entries.size > this.maxEntries || this.bytes > this.maxBytes)) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { bytes: number }];
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }
}
