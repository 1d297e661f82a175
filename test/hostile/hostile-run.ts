import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { EngineProcess } from '../bench/harness/engine-process';
import { freePort } from '../bench/harness/services';
import { Latency } from '../bench/harness/stats';
import { HostileRequest, hostileRequests } from './hostile-inputs';

/*
 * The hostile run: HOSTILE_COUNT (default 10,000) generated hostile requests across register
 * (JSON and YAML), execute, undo and the list and detail endpoints, against Baton started as
 * `node dist/src/main.js` on a fresh embedded database. It passes when no answer is a 500 (or any
 * 5xx), the process never dies, and health answers at the end; it prints the p99 latency of
 * rejections of small (< 1 KiB) documents, whose goal is under 100 ms.
 */
const COUNT = Number(process.env.HOSTILE_COUNT ?? 10_000);
const SEED = Number(process.env.HOSTILE_SEED ?? 42);
const CONCURRENCY = 4;
const TIMEOUT_MS = 30_000;

interface Tally {
  statuses: Map<number, number>;
  byKind: Map<string, Map<number, number>>;
  serverErrors: Array<{ request: HostileRequest; status: number; body: string }>;
  transportErrors: number;
  rejections: Latency;
}

async function send(base: string, r: HostileRequest, tally: Tally): Promise<void> {
  const started = performance.now();
  try {
    const res = await request(base + r.path, {
      method: r.method as 'GET', headers: r.headers, body: r.body, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS,
    });
    const body = await res.body.text();
    const ms = performance.now() - started;
    count(tally.statuses, res.statusCode);
    count(tally.byKind.get(r.kind) ?? tally.byKind.set(r.kind, new Map()).get(r.kind)!, res.statusCode);
    if (res.statusCode >= 500) tally.serverErrors.push({ request: r, status: res.statusCode, body: body.slice(0, 300) });
    if (r.smallDocument && res.statusCode >= 400 && res.statusCode < 500) tally.rejections.recordMs(ms);
  } catch {
    // undici refuses some generated requests before sending them (bad header characters): not Baton's answer.
    tally.transportErrors++;
  }
}

function embeddedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'DATABASE_URL'));
}

function count(map: Map<number, number>, status: number): void {
  map.set(status, (map.get(status) ?? 0) + 1);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-hostile-'));
  const engine = new EngineProcess({
    port: await freePort(), startTimeoutMs: 600_000, // a first start runs initdb: slow on a busy machine
    // The embedded default whatever servers the caller's environment names.
    env: { ...embeddedEnv(), DATA_DIR: join(dataDir, 'db'), LOG_LEVEL: 'fatal', MESSAGING_DRIVER: 'memory' },
  });
  const requests = hostileRequests(COUNT, SEED);
  await engine.start();
  const tally: Tally = { statuses: new Map(), byKind: new Map(), serverErrors: [], transportErrors: 0, rejections: new Latency() };
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < requests.length && engine.child.alive) await send(engine.baseUrl, requests[next++], tally);
  }));
  const crashed = !engine.child.alive;
  const healthy = !crashed && (await request(`${engine.baseUrl}/api/orchestration/health`)).statusCode === 200;
  await engine.child.stop();
  rmSync(dataDir, { recursive: true, force: true });

  for (const e of tally.serverErrors.slice(0, 5)) {
    process.stdout.write(`${e.status} ${e.request.method} ${e.request.path.slice(0, 120)}: ${e.body}\n`);
  }
  const kinds = [...tally.byKind].map(([k, m]) => `${k}{${[...m].sort().map(([s, n]) => `${s}:${n}`).join(',')}}`).join(' ');
  process.stdout.write(`by kind: ${kinds}\n`);
  const p = (q: number) => tally.rejections.percentileMs(q).toFixed(1);
  process.stdout.write(`HOSTILE requests=${next} seconds=${((Date.now() - started) / 1000).toFixed(1)} `
    + `500s=${tally.statuses.get(500) ?? 0} 5xx=${tally.serverErrors.length} crashes=${crashed ? 1 : 0} healthyAfter=${healthy} `
    + `unsent=${tally.transportErrors} smallRejections=${tally.rejections.count} p50=${p(50)}ms p99=${p(99)}ms max=${tally.rejections.maxMs.toFixed(1)}ms\n`);
  if (tally.serverErrors.length > 0 || crashed || !healthy || next < requests.length) process.exitCode = 1;
}

main().catch((e: Error) => {
  process.stderr.write(`hostile run failed: ${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
