import { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Deployment } from '../../bench/harness/deployment';

export type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * What the crash scenario reads of a deployment's database: while the engine runs (how many runs
 * are still open, how much of the outbox is due), then everything, once, for the checks.
 */
export interface RunStore {
  openRuns(orchName: string, flowIds: string[], terminal: readonly string[]): Promise<number>;
  /** Outbox rows due and not yet published. */
  dueOutbox(): Promise<number>;
  /** Runs `read` over the whole database; on PGlite the engine is stopped first (it alone can open it while it runs). */
  finally<T>(read: (query: Query) => Promise<T>): Promise<T>;
}

export function runStoreOf(d: Deployment): RunStore {
  return d.db.dataDir ? embeddedStore(d, d.db.dataDir) : postgresStore(d.db.url);
}

function postgresStore(url: string): RunStore {
  const query: Query = async <T>(sql: string, params: unknown[] = []) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  return {
    openRuns: async (_orchName, flowIds, terminal) => (await query<{ n: number }>(
      'SELECT count(*)::int AS n FROM orchestration_run WHERE flow_id = ANY($1) AND status <> ALL($2)', [flowIds, terminal]))[0].n,
    dueOutbox: async () => (await query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND available_at <= now()'))[0].n,
    finally: (read) => read(query),
  };
}

/**
 * The embedded database, through the engine's API while it runs (the unfinished runs of the flow,
 * the relay's backlog gauge), then opened here once the engine has stopped.
 */
function embeddedStore(d: Deployment, dataDir: string): RunStore {
  const api = async (path: string) => {
    const res = await fetch(`${d.engine.baseUrl}${path}`);
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    return res;
  };
  return {
    openRuns: async (orchName) =>
      ((await (await api(`/api/orchestration/runs?stuck=true&orchName=${orchName}&pageSize=1`)).json()) as { total: number }).total,
    dueOutbox: () => d.client.counter('baton_outbox_backlog'),
    finally: async (read) => {
      await d.engine.stop();
      const db = await PGlite.create(join(dataDir, 'pgdata'));
      try {
        return await read(async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows);
      } finally {
        await db.close();
      }
    },
  };
}
