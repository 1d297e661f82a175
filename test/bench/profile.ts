import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarize as summarizeProfile, CpuProfile } from './harness/cpu-profile';
import { Deployment } from './harness/deployment';
import { closedLoop, LoadTarget } from './harness/load';
import { PROFILING_PRELOAD, REPO_ROOT } from './harness/paths';
import type { Driver } from './harness/services';
import { round } from './harness/stats';
import { SEQUENTIAL } from './scenarios/flows';

/*
 * `node dist/test/bench/profile.js [--driver rabbitmq] [--concurrency 32] [--seconds 10] [--pg-socket DIR]
 *   [--engine-env K=V,...] [--start http|topic]`:
 * the engine under a closed-loop load of the 3-step flow, with a V8 CPU profile and a count of
 * every SQL statement it sent (profiling-preload.ts), reduced to per-transition figures.
 * Writes bench-results/profile-<driver>-<timestamp>/ (engine.cpuprofile opens in Chrome DevTools).
 */

const HOT_PATH = /^(apply|start|inTransaction|advance|changeStatus|announce|lockRun|recordResult|completeAttempt|attemptsOf|insertAttempts|setStatus|markProcessed|publishNow|drainFastPath|publish|transaction|query|handle|append|insert|dispatch|send|topicFor|markSent|flush|execute|get|decideTransition)$/;

/** PostgreSQL backends report their table counts within a second of going idle. */
const STATS_FLUSH_MS = 1500;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface SqlStats {
  windowMs: number;
  statements: Array<{ sql: string; count: number; totalMs: number }>;
}

async function main(): Promise<void> {
  const driver = arg('driver', 'rabbitmq') as Driver;
  const concurrency = Number(arg('concurrency', '32'));
  const seconds = Number(arg('seconds', '10'));
  const dir = join(REPO_ROOT, 'bench-results', `profile-${driver}-c${concurrency}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const engineEnv: Record<string, string> = {};
  for (const pair of arg('engine-env', '').split(',').filter(Boolean)) {
    const [k, v] = pair.split(/=(.*)/s, 2);
    engineEnv[k] = v;
  }
  const socket = arg('pg-socket', '') || undefined;
  // topic: runs start on the execution-start topic, so the engine's CPU has no HTTP request in it.
  const start = arg('start', 'http');
  if (start !== 'http' && start !== 'topic') throw new Error(`--start is http or topic, not ${start}`);
  if (start === 'topic' && driver === 'memory') throw new Error('--start topic needs a real broker: the in-process one is inside the engine');
  const d = await Deployment.start({
    driver, flows: [SEQUENTIAL], engineNodeArgs: ['--require', PROFILING_PRELOAD], engineEnv, prefix: 'prof', databaseSocketDir: socket,
  });
  try {
    const target: LoadTarget = { deployment: d, orchName: SEQUENTIAL.orchName, payload: { sku: 'A1', qty: 1 }, via: start };
    await closedLoop(target, concurrency, { warmupMs: 0, windowMs: 2000, windows: 1 }); // warm-up
    const before = await d.client.counter('baton_step_transitions_total');
    const rowsBefore = await sleep(STATS_FLUSH_MS).then(() => d.runRowUpdates());
    d.engine.profileStart();
    const [w] = await closedLoop(target, concurrency, { warmupMs: 0, windowMs: seconds * 1000, windows: 1 });
    await d.engine.profileStop(dir);
    const transitions = (await d.client.counter('baton_step_transitions_total')) - before;
    const rowsAfter = await sleep(STATS_FLUSH_MS).then(() => d.runRowUpdates());
    const runRows = { updates: rowsAfter.updates - rowsBefore.updates, inPlace: rowsAfter.inPlace - rowsBefore.inPlace };
    const sql = JSON.parse(readFileSync(join(dir, 'sql.json'), 'utf8')) as SqlStats;
    const profile = summarizeProfile(JSON.parse(readFileSync(join(dir, 'engine.cpuprofile'), 'utf8')) as CpuProfile, HOT_PATH, 30);
    const runs = transitions / SEQUENTIAL.steps.length;
    const statements = sql.statements.reduce((n, s) => n + s.count, 0);
    const report = {
      driver, concurrency, seconds, runsPerSec: w.runsPerSec, transitionsPerSec: w.transitionsPerSec, p50Ms: w.p50Ms, p99Ms: w.p99Ms,
      engineCores: w.engineCores, foreignCores: w.foreignCores, transitions,
      sqlPerRun: statements / runs, sqlPerTransition: statements / transitions, runRows,
      statements: sql.statements.map((s) => ({ ...s, perRun: s.count / runs, avgMs: s.totalMs / s.count })),
      profile,
    };
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 2));
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`${driver} c=${concurrency}, started over ${start}: ${round(w.runsPerSec)} runs/s, ${round(w.transitionsPerSec)} transitions/s, p50 ${round(w.p50Ms, 1)} ms, `
      + `p99 ${round(w.p99Ms, 1)} ms, engine ${round(w.engineCores, 2)} cores (${round(w.engineCpuUsPerTransition)} µs CPU per transition), foreign ${round(w.foreignCores, 2)} cores`);
    out(`SQL statements: ${round(report.sqlPerRun, 1)} per run, ${round(report.sqlPerTransition, 2)} per transition (runs ${Math.round(runs)})`);
    out(`Run row updates: ${runRows.updates}, in place (HOT) ${runRows.inPlace} = ${round(100 * runRows.inPlace / Math.max(1, runRows.updates))}%`);
    for (const s of report.statements.slice(0, 25)) {
      out(`  ${round(s.perRun, 2).toString().padStart(6)}/run  ${round(s.avgMs, 2).toString().padStart(6)} ms  ${s.sql.slice(0, 140)}`);
    }
    out(`CPU profile: busy ${round(100 * profile.busyShare)}% of the engine's wall time`);
    out(`  by area: ${profile.byArea.map((a) => `${a.area} ${a.pct}%`).join(', ')}`);
    out(`  inclusive: ${profile.inclusive.map((a) => `${a.fn} ${a.pct}%`).join(', ')}`);
    out('  top self time:');
    for (const f of profile.topFunctions.slice(0, 25)) out(`    ${String(f.pct).padStart(5)}%  ${f.fn}`);
    out(`Written to ${dir}`);
  } finally {
    await d.stop();
  }
}

main().then(() => process.exit(0), (error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
