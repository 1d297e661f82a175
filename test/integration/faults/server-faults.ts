import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { request } from 'undici';
import type { Deployment } from '../../bench/harness/deployment';
import type { BrokerControls } from '../../helpers/broker-control';
import { log } from './fault-report';

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** Polls the engine's health until it is `ok` (not `degraded`: a broker down answers 200 too); the time it took. */
export async function timeToHealthy(d: Deployment, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const res = await request(`${d.engine.baseUrl}/api/orchestration/health`, { headersTimeout: 5000, bodyTimeout: 5000 })
      .catch(() => undefined);
    const body = res?.statusCode === 200 ? await res.body.json().catch(() => undefined) as { status?: string } | undefined : await res?.body.dump();
    if (body?.status === 'ok') return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`the engine was not healthy ${timeoutMs} ms after the restart:\n${d.output().split('\n').slice(-30).join('\n')}`);
}

/** Polls the deployment's outbox until nothing due is unsent; the time it took. */
export async function timeToDrain(d: Deployment, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  const db = new Client({ connectionString: d.db.url });
  await db.connect();
  try {
    while (Date.now() - started < timeoutMs) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND available_at <= now()');
      if (rows[0].n === 0) return Date.now() - started;
      await sleep(100);
    }
  } finally {
    await db.end();
  }
  return Number.POSITIVE_INFINITY;
}

export interface OutageRecord {
  downMs: number[];
  restartMs: number[];
  drainMs: number[];
}

/**
 * Stops `server` `times` times while the load runs, each for a random `downMs` range, the first
 * after `firstAfterMs`, then `gapMs` after the engine was healthy again. Records how long each
 * outage lasted, how long the engine took to be healthy after the server was back, and how long
 * the outbox took to drain.
 */
export function outages(
  server: { name: string; controls: BrokerControls }, record: OutageRecord,
  o: { times: number; firstAfterMs: number; downMs: [number, number]; gapMs: [number, number] },
): (d: Deployment) => Promise<void> {
  return async (d) => {
    await sleep(o.firstAfterMs);
    for (let i = 0; i < o.times; i++) {
      if (i > 0) await sleep(random(...o.gapMs));
      const down = random(...o.downMs);
      const stopped = Date.now();
      await server.controls.stop();
      log(`${server.name} down (outage ${i + 1} of ${o.times}, ${(down / 1000).toFixed(1)} s)`);
      await sleep(Math.max(0, down - (Date.now() - stopped)));
      await server.controls.start();
      record.downMs.push(Date.now() - stopped);
      const back = Date.now();
      record.restartMs.push(await timeToHealthy(d));
      const drained = await timeToDrain(d);
      record.drainMs.push(Number.isFinite(drained) ? Date.now() - back : drained);
      log(`${server.name} back after ${((Date.now() - stopped) / 1000).toFixed(1)} s`);
    }
  };
}
