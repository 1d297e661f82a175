import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createDatabase } from '../harness/services';
import { Spread, spread } from '../harness/stats';

const run = promisify(execFile);
export const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';
const ACCOUNTS = 100_000;

/** The transaction the baseline commits: one-row UPDATE + one INSERT, as in NOTES. */
const SCRIPT = `\\set aid random(1, ${ACCOUNTS})
BEGIN;
UPDATE bench_account SET balance = balance + 1 WHERE id = :aid;
INSERT INTO bench_history (account_id, delta, at) VALUES (:aid, 1, now());
END;
`;

export interface PgPoint {
  clients: number;
  tps: Spread;
}

export interface PgBaseline {
  tool: 'pgbench' | 'node-pg';
  points: PgPoint[];
  /** Highest median TPS over the client counts: the denominator of every ratio. */
  peakTps: number;
  /** The same transaction from Node's `pg` (one connection per client), for the client-side cost. */
  nodePg?: PgPoint;
}

export interface PgBaselineOptions {
  clients: number[];
  seconds: number;
  repetitions: number;
  /** Also measure the Node pg loop at the highest client count. */
  nodeReference: boolean;
}

async function setUp(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE TABLE bench_account (id int PRIMARY KEY, balance bigint NOT NULL DEFAULT 0)`);
  await c.query(`INSERT INTO bench_account (id) SELECT generate_series(1, ${ACCOUNTS})`);
  await c.query(`CREATE TABLE bench_history (id bigserial PRIMARY KEY, account_id int NOT NULL, delta int NOT NULL, at timestamptz NOT NULL)`);
  await c.query('VACUUM ANALYZE bench_account');
  await c.end();
}

async function pgbench(url: string, scriptFile: string, clients: number, seconds: number): Promise<number> {
  const u = new URL(url);
  const { stdout } = await run(PGBENCH, [
    '-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds),
    '-f', scriptFile, '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username), u.pathname.slice(1),
  ], { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, timeout: (seconds + 30) * 1000 });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!tps) throw new Error(`unexpected pgbench output:\n${stdout}`);
  return Number(tps[1]);
}

/** The same transaction from Node: `clients` connections, each committing in a loop. */
async function nodeLoop(url: string, clients: number, seconds: number): Promise<number> {
  const conns = await Promise.all(Array.from({ length: clients }, async () => {
    const c = new Client({ connectionString: url });
    await c.connect();
    return c;
  }));
  const end = performance.now() + seconds * 1000;
  let committed = 0;
  const started = performance.now();
  await Promise.all(conns.map(async (c) => {
    while (performance.now() < end) {
      const aid = 1 + Math.floor(Math.random() * ACCOUNTS);
      await c.query('BEGIN');
      await c.query({ name: 'u', text: 'UPDATE bench_account SET balance = balance + 1 WHERE id = $1', values: [aid] });
      await c.query({ name: 'i', text: 'INSERT INTO bench_history (account_id, delta, at) VALUES ($1, 1, now())', values: [aid] });
      await c.query('COMMIT');
      committed++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(conns.map((c) => c.end()));
  return committed / elapsed;
}

/** PostgreSQL's ceiling on this machine for the transaction shape the engine's hot path resembles. */
export async function measurePgBaseline(o: PgBaselineOptions, log: (line: string) => void): Promise<PgBaseline> {
  const db = await createDatabase('baton_bench_pg');
  const dir = mkdtempSync(join(tmpdir(), 'baton-pgbench-'));
  try {
    await setUp(db.url);
    const scriptFile = join(dir, 'update-insert.sql');
    writeFileSync(scriptFile, SCRIPT);
    const tool = existsSync(PGBENCH) ? 'pgbench' : 'node-pg';
    const measure = (clients: number) => (tool === 'pgbench' ? pgbench(db.url, scriptFile, clients, o.seconds) : nodeLoop(db.url, clients, o.seconds));
    const points: PgPoint[] = [];
    for (const clients of o.clients) {
      const values: number[] = [];
      for (let r = 0; r < o.repetitions; r++) values.push(await measure(clients));
      points.push({ clients, tps: spread(values) });
      log(`  ${tool} ${clients} client(s): ${Math.round(spread(values).median)} TPS`);
    }
    let nodePg: PgPoint | undefined;
    if (o.nodeReference && tool === 'pgbench') {
      const clients = Math.max(...o.clients);
      const values: number[] = [];
      for (let r = 0; r < o.repetitions; r++) values.push(await nodeLoop(db.url, clients, o.seconds));
      nodePg = { clients, tps: spread(values) };
      log(`  node pg ${clients} connections: ${Math.round(nodePg.tps.median)} TPS`);
    }
    return { tool, points, peakTps: Math.max(...points.map((p) => p.tps.median)), nodePg };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop().catch(() => undefined);
  }
}
