import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Deployment } from './harness/deployment';
import type { Driver } from './harness/services';
import { spread } from './harness/stats';
import { SEQUENTIAL } from './scenarios/flows';

/*
 * `node dist/test/bench/hops.js [--driver kafka] [--runs 50]`: where one run's time goes, hop by
 * hop, with one run in flight. From the client's clock and the rows the engine wrote (same machine,
 * same clock): request → run row written; per step, its row written (command committed) → its
 * result written (command through the broker, the worker, the reply back and the engine's read);
 * last write → COMPLETED event received here. Medians and p90 over the runs.
 */

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const wallNow = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const driver = arg('driver', 'kafka') as Driver;
  const runs = Number(arg('runs', '50'));
  const d = await Deployment.start({ driver, flows: [SEQUENTIAL], prefix: 'hops', keepDatabase: true });
  const hops = new Map<string, number[]>();
  const add = (hop: string, ms: number) => hops.set(hop, [...(hops.get(hop) ?? []), ms]);
  const db = new Client({ connectionString: d.db.url });
  try {
    await db.connect();
    for (let i = 0; i < runs + 5; i++) {
      const correlationId = randomUUID();
      const ended = d.tracker.expect(correlationId);
      const sent = wallNow();
      const started = await d.client.execute(SEQUENTIAL.orchName, { sku: 'A1', qty: 1 }, correlationId);
      const accepted = wallNow();
      const end = await ended;
      const received = performance.timeOrigin + end.at;
      if (i < 5) continue; // warm-up
      const { rows: [run] } = await db.query(
        `SELECT extract(epoch FROM created_at) * 1000 AS created, extract(epoch FROM finished_at) * 1000 AS finished FROM orchestration_run WHERE flow_id = $1`,
        [started.flowId]);
      const { rows: steps } = await db.query(
        `SELECT step_name AS name, extract(epoch FROM created_at) * 1000 AS created, extract(epoch FROM completed_at) * 1000 AS completed
         FROM orchestration_step_run WHERE flow_id = $1 AND action = 'DO' ORDER BY seq`, [started.flowId]);
      add('request → run row written', run.created - sent);
      add('request → 202 received', accepted - sent);
      steps.forEach((s: { created: number; completed: number }, k: number) => add(`step ${k + 1}: command committed → result written`, s.completed - s.created));
      add('last result written → COMPLETED received', received - run.finished);
      add('whole run (request → COMPLETED)', received - sent);
    }
    process.stdout.write(`${driver}, ${runs} runs one at a time (median / p90 ms):\n`);
    for (const [hop, values] of hops) {
      const sorted = [...values].sort((a, b) => a - b);
      process.stdout.write(`  ${hop.padEnd(48)} ${spread(values).median.toFixed(2).padStart(7)} / ${sorted[Math.floor(sorted.length * 0.9)].toFixed(2)}\n`);
    }
  } finally {
    await db.end().catch(() => undefined);
    await d.stop();
    await d.db.drop().catch(() => undefined);
  }
}

main().then(() => process.exit(0), (error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
