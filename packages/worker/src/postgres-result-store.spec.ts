import { PGlite } from '@electric-sql/pglite';
import { EventEmitter } from 'node:events';
import { PostgresResultStore, type Queryable } from './postgres-result-store';

/** A pool that answers every query with no rows, but fails the first ones as `failures` says. */
function pool(failures: Array<Error | undefined> = []): Queryable & { sql: string[]; values: unknown[][] } {
  const sql: string[] = [];
  const values: unknown[][] = [];
  return {
    sql, values,
    query: async (text: string, params?: unknown[]) => {
      sql.push(text);
      values.push(params ?? []);
      const failure = failures.shift();
      if (failure) throw failure;
      return { rows: [] };
    },
  };
}

describe('PostgresResultStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it('opens again after a failed open, so PostgreSQL down at the first command does not fail every later one', async () => {
    const store = new PostgresResultStore({ pool: pool([new Error('connect ECONNREFUSED 127.0.0.1:5432')]) });
    await expect(store.get('k')).rejects.toThrow('ECONNREFUSED');
    await expect(store.get('k')).resolves.toBeUndefined();
  });

  it('makes a pool of its own whose idle connections do not hold the process (it may be ended only after the worker stopped)', async () => {
    const Pool = jest.spyOn(jest.requireActual<typeof import('pg')>('pg'), 'Pool').mockImplementation(() => Object.assign(new EventEmitter(), pool()) as never);
    await new PostgresResultStore({ connectionString: 'postgres://127.0.0.1/baton' }).get('k');
    expect(Pool).toHaveBeenCalledWith(expect.objectContaining({ allowExitOnIdle: true }));
  });

  it('logs the error of an idle connection of its own pool, without the connection string, and keeps working', async () => {
    const own = Object.assign(new EventEmitter(), pool());
    jest.spyOn(jest.requireActual<typeof import('pg')>('pg'), 'Pool').mockImplementation(() => own as never);
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const store = new PostgresResultStore({ connectionString: 'postgres://baton:s3cret@127.0.0.1:5432/baton', logger });
    await store.get('k');
    // Unheard, this emit throws: in a process, an uncaught exception that ends it.
    own.emit('error', new Error('terminating connection due to administrator command'));
    expect(logger.warn).toHaveBeenCalledWith({ table: 'baton_worker_results' }, expect.stringContaining('terminating connection'));
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('s3cret');
    await expect(store.get('k')).resolves.toBeUndefined();
  });
});

/**
 * On a real PostgreSQL (PGlite, in process: no server needed) as a `pool` of one's own, so that the
 * SQL itself is checked: jsonb, the conflicts, and a table an older SDK created.
 */
describe('PostgresResultStore on PostgreSQL', () => {
  let db: PGlite;

  // PGlite runs initdb in WebAssembly first: seconds, more on a busy machine.
  beforeAll(async () => { db = await PGlite.create(); }, 120_000);
  afterAll(() => db?.close());

  it('round-trips a failure by command id, keeps the first, and keeps it apart from the results', async () => {
    const store = new PostgresResultStore({ pool: db, table: 'fresh' });
    expect(await store.getFailure('c1')).toBeUndefined();
    const error = `HANDLER_TIMEOUT: "quoted", 😀, \uFFFD, ${'x'.repeat(9_000)}`;
    await store.putFailure('c1', { error, nonRetryable: false });
    await store.putFailure('c1', { error: 'second', nonRetryable: true });
    await store.put('f1:s:DO', { output: { n: 1 } });
    expect(await store.getFailure('c1')).toEqual({ error, nonRetryable: false });
    await store.putFailure('c2', { error: 'bad input', nonRetryable: true });
    expect(await store.getFailure('c2')).toEqual({ error: 'bad input', nonRetryable: true });
    await store.put('f2:s:DO', { output: undefined, droppedBecause: 'OUTPUT_REFUSED: too big' });
    await store.put('f2:s:DO', { output: undefined, droppedBecause: 'second' });
    expect(await store.get('f2:s:DO')).toEqual({ output: undefined, droppedBecause: 'OUTPUT_REFUSED: too big' });
    expect(await store.get('f1:s:DO')).toEqual({ output: { n: 1 } });
    expect(await store.get('c1')).toBeUndefined();
    // The rows' keys are a durable format: a failure's never ends as an idempotency key does (":DO", ":UNDO").
    const { rows } = await db.query('SELECT idempotency_key FROM fresh ORDER BY idempotency_key');
    // A dropped output's row, too: an older SDK sharing the table, which reads only `f2:s:DO`, never mistakes it for an output.
    expect(rows).toEqual([{ idempotency_key: 'c1:FAILED' }, { idempotency_key: 'c2:FAILED' }, { idempotency_key: 'f1:s:DO' }, { idempotency_key: 'f2:s:DO:DROPPED' }]);
  });

  it('records failures in a table an older SDK created, as it is: its results still replay, and its columns are unchanged', async () => {
    // The table and the write of the SDK before failures were recorded.
    await db.query(`CREATE TABLE IF NOT EXISTS older (
      idempotency_key varchar(600) PRIMARY KEY, output jsonb, recorded_at timestamptz NOT NULL DEFAULT now())`);
    await db.query(`INSERT INTO older (idempotency_key, output) VALUES ($1, $2::jsonb)`, ['f0:s:DO', JSON.stringify({ old: true })]);
    const store = new PostgresResultStore({ pool: db, table: 'older' });
    expect(await store.get('f0:s:DO')).toEqual({ output: { old: true } });
    await store.putFailure('c1', { error: 'flaky', nonRetryable: false });
    expect(await store.getFailure('c1')).toEqual({ error: 'flaky', nonRetryable: false });
    const { rows } = await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'older' ORDER BY ordinal_position`);
    expect(rows.map((r) => (r as { column_name: string }).column_name)).toEqual(['idempotency_key', 'output', 'recorded_at']);
  });

  it('uses a table made for it by a role that may only read and insert rows, without CREATE on the schema', async () => {
    // As a DBA sets up a least-privilege worker (PostgreSQL 15 and later: nobody may create in public by default).
    await db.exec(`CREATE TABLE granted (idempotency_key varchar(600) PRIMARY KEY, output jsonb, recorded_at timestamptz NOT NULL DEFAULT now());
      CREATE ROLE least_privileged; GRANT USAGE ON SCHEMA public TO least_privileged; REVOKE CREATE ON SCHEMA public FROM PUBLIC;
      GRANT SELECT, INSERT ON granted TO least_privileged; SET ROLE least_privileged;`);
    try {
      await expect(db.query('CREATE TABLE IF NOT EXISTS granted (k int)')).rejects.toThrow('permission denied for schema public');
      const store = new PostgresResultStore({ pool: db, table: 'granted' });
      expect(await store.get('f1:s:DO')).toBeUndefined();
      await store.put('f1:s:DO', { output: { n: 1 } });
      expect(await store.get('f1:s:DO')).toEqual({ output: { n: 1 } });
    } finally {
      await db.exec('RESET ROLE');
    }
  });
});
