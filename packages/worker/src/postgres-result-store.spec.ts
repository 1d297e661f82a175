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
