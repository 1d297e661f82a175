import { errorText, stderrLogger, type WorkerLogger } from './logger';
import type { RecordedFailure, RecordedResult, ResultStore } from './result-store';

/** The part of a `pg` Pool the store uses, so any pool or client will do. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end?(): Promise<void>;
}

/** A `pg` Pool as the store creates it: it also emits the errors of its idle connections. */
interface OwnPool extends Queryable {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PostgresResultStoreOptions {
  /** A `pg` Pool of your own, or a connection string (then `pg`, an optional peer dependency, is loaded). */
  pool?: Queryable;
  connectionString?: string;
  /** Default `baton_worker_results`; created when missing. */
  table?: string;
  /** Where the errors of the pool made from `connectionString` go. Default: the SDK's stderr logger. */
  logger?: WorkerLogger;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

/**
 * Where a command's failure is kept: in the same table, under a key no idempotency key can be, as
 * Baton's end in ":DO" or ":UNDO" (`<flowId>:<step>:<action>`). So the table an older SDK created
 * serves as it is, with no ALTER TABLE: that would need the table's owner and take an exclusive
 * lock at every start of every instance, while an older SDK sharing the table (a rolling deploy)
 * reads and writes the same columns as ever. One table, pruned by `recorded_at` alike.
 */
const failureKey = (commandId: string) => `${commandId}:FAILED`;
/** Where a success whose output could not be sent is kept, with why: under a key of its own, which an older SDK sharing the table never reads. */
const droppedKey = (idempotencyKey: string) => `${idempotencyKey}:DROPPED`;

/** The key column's length, in characters, as the table is created (and as earlier SDKs created it). */
const KEY_COLUMN_LENGTH = 600;
/**
 * The longest idempotencyKey or commandId whose rows fit that column, with the longer suffix
 * (":DROPPED"): parseCommand refuses a longer one, whose record would fail at every delivery.
 */
export const MAX_STORED_KEY_LENGTH = KEY_COLUMN_LENGTH - Math.max(failureKey('').length, droppedKey('').length);

/**
 * A durable {@link ResultStore}: one row per idempotency key, and one per failed command (its
 * `output` holds the failure), kept until you prune them (`recorded_at`).
 */
export class PostgresResultStore implements ResultStore {
  private readonly table: string;
  private pool?: Queryable;
  private ready?: Promise<Queryable>;
  private readonly ownsPool: boolean;

  constructor(private readonly options: PostgresResultStoreOptions) {
    this.table = options.table ?? 'baton_worker_results';
    if (!IDENTIFIER.test(this.table)) throw new Error(`Invalid table name ${this.table}`);
    if (!options.pool && !options.connectionString) throw new Error('PostgresResultStore needs a pool or a connectionString');
    this.pool = options.pool;
    this.ownsPool = !options.pool;
  }

  async get(key: string): Promise<RecordedResult | undefined> {
    const rows = await this.read(key, droppedKey(key));
    const kept = rows.find((r) => r.idempotency_key === key);
    if (kept) return { output: kept.output ?? undefined };
    return rows.length > 0 ? { output: undefined, droppedBecause: String((rows[0].output as { error?: unknown }).error) } : undefined;
  }

  async put(key: string, result: RecordedResult): Promise<void> {
    if (result.droppedBecause !== undefined) await this.insert(droppedKey(key), JSON.stringify({ error: result.droppedBecause }));
    else await this.insert(key, result.output === undefined ? null : JSON.stringify(result.output));
  }

  async getFailure(commandId: string): Promise<RecordedFailure | undefined> {
    const rows = await this.read(failureKey(commandId));
    if (rows.length === 0) return undefined;
    const { error, nonRetryable } = rows[0].output as RecordedFailure;
    return { error, nonRetryable };
  }

  async putFailure(commandId: string, failure: RecordedFailure): Promise<void> {
    await this.insert(failureKey(commandId), JSON.stringify({ error: failure.error, nonRetryable: failure.nonRetryable }));
  }

  async close(): Promise<void> {
    if (this.ownsPool && this.pool?.end) await this.pool.end();
  }

  private async read(...keys: string[]): Promise<Array<Record<string, unknown>>> {
    const db = await this.db();
    return (await db.query(`SELECT idempotency_key, output FROM ${this.table} WHERE idempotency_key = ANY($1)`, [keys])).rows;
  }

  private async insert(key: string, json: string | null): Promise<void> {
    const db = await this.db();
    await db.query(
      `INSERT INTO ${this.table} (idempotency_key, output) VALUES ($1, $2::jsonb) ON CONFLICT (idempotency_key) DO NOTHING`, [key, json]);
  }

  private db(): Promise<Queryable> {
    // A failed open is forgotten, so that PostgreSQL down at the first command does not fail every later one.
    this.ready ??= this.open().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async open(): Promise<Queryable> {
    this.pool ??= this.ownPool();
    // CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when the table exists, which a
    // least-privilege role lacks (since PostgreSQL 15 no role has it on public by default): it
    // would fail every command. So look first, and create only a table that is missing.
    const { rows } = await this.pool.query('SELECT to_regclass($1) IS NOT NULL AS present', [this.table]);
    if (rows[0]?.present !== true) {
      await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        idempotency_key varchar(${KEY_COLUMN_LENGTH}) PRIMARY KEY, output jsonb, recorded_at timestamptz NOT NULL DEFAULT now())`);
    }
    return this.pool;
  }

  private ownPool(): Queryable {
    // allowExitOnIdle: a worker that stopped with handlers still running ends this pool only once
    // they have ended (they may still record results); its idle connections must not hold the process meanwhile.
    const pool = new (loadPg().Pool)({ connectionString: this.options.connectionString, max: 4, allowExitOnIdle: true });
    // An idle connection that breaks (PostgreSQL restarted) is an 'error' event, which unheard would
    // end the process; the pool drops that connection and opens another at the next query. The
    // message is pg's own, which never holds the connection string.
    pool.on('error', (error) => (this.options.logger ?? stderrLogger).warn(
      { table: this.table }, `result store: an idle PostgreSQL connection failed, the pool replaces it: ${errorText(error)}`));
    return pool;
  }
}

function loadPg(): { Pool: new (config: object) => OwnPool } {
  try {
    return require('pg'); // eslint-disable-line @typescript-eslint/no-require-imports -- optional peer, loaded only when used
  } catch {
    throw new Error('PostgresResultStore with a connectionString needs the "pg" package: npm install pg');
  }
}
