import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { REPO_ROOT, requireBuilt, ECHO_WORKER_MAIN, ENGINE_MAIN, MEMORY_HOST_MAIN, PGBOSS_PEER_MAIN } from './harness/paths';
import { adminDatabaseUrl, Driver } from './harness/services';
import { BenchOptions, parseOptions, USAGE } from './options';
import { DriverResult, peerTable, summarize, summaryLine, table } from './report';
import { measureRtt } from './scenarios/broker-rtt';
import { benchEngine } from './scenarios/engine-bench';
import { measurePgBaseline, PgBaseline } from './scenarios/pg-baseline';
import { benchPeer, PEER, PeerFigures } from './scenarios/peer-bench';
import { benchScaleOut } from './scenarios/scale-out';
import { waitForQuiet } from './harness/stats';

/*
 * `npm run bench [-- options]`: Baton against real PostgreSQL on each driver, next to the baselines
 * measured in the same run (PostgreSQL's peak TPS, the broker's raw round trip). Prints a table
 * and the summary lines, and writes everything to bench-results/<timestamp>.json.
 */

const log = (line: string) => process.stdout.write(`${line}\n`);

async function machine() {
  const c = new Client({ connectionString: adminDatabaseUrl() });
  await c.connect();
  const { rows } = await c.query(`SELECT version() AS v, current_setting('synchronous_commit') AS sc, current_setting('shared_buffers') AS sb`);
  await c.end();
  return {
    cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version,
    postgres: rows[0].v as string, synchronousCommit: rows[0].sc as string, sharedBuffers: rows[0].sb as string,
  };
}

/** Other people's processes skew every figure on a shared box: give them a moment to finish. */
async function quiet(o: BenchOptions, what: string): Promise<void> {
  if (o.quietWaitMs <= 0) return;
  const q = await waitForQuiet(o.quietWaitMs);
  const note = q.foreign >= 0.25 ? `; still ${q.foreign.toFixed(2)} cores busy elsewhere: figures are skewed` : '';
  log(`[${what}] waited ${Math.round(q.waitedMs / 1000)} s for other processes to go quiet${note}`);
}

async function benchDriver(driver: Driver, o: BenchOptions): Promise<DriverResult> {
  const result: DriverResult = { driver };
  try {
    await quiet(o, driver);
    if (!o.skip.has('rtt')) {
      log(`[${driver}] broker round trip`);
      result.rtt = await measureRtt(driver, { ...o.rttWindows, concurrency: o.rttConcurrency });
      log(`  p50 ${result.rtt.p50Ms.median.toFixed(2)} ms, p99 ${result.rtt.p99Ms.median.toFixed(2)} ms, `
        + `${Math.round(result.rtt.msgsPerSec.median)} round trips/s at c=${o.rttConcurrency} (echo in ${result.rtt.echo})`);
    }
    if (!o.skip.has('engine')) {
      log(`[${driver}] engine${driver === 'memory' ? ' (in-process broker: engine and echo worker share one process)' : ''}`);
      result.engine = await benchEngine(driver, o.engine, log);
    }
    if (!o.skip.has('scale')) {
      log(`[${driver}] two engine instances on one PostgreSQL${driver === 'memory' ? ' (each with its own in-process broker and echo worker)' : ' and one broker'}`);
      result.scaleOut = await benchScaleOut(driver, result.engine?.peak, {
        windows: o.engine.windows, concurrency: Math.max(...o.engine.concurrencies), engineEnv: o.engine.engineEnv,
        databaseSocketDir: o.engine.databaseSocketDir,
      }, log);
    }
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
    log(`[${driver}] FAILED: ${result.error}`);
  }
  return result;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), process.env);
  if (o.help) {
    log(USAGE);
    return;
  }
  requireBuilt(ENGINE_MAIN, ECHO_WORKER_MAIN, MEMORY_HOST_MAIN, PGBOSS_PEER_MAIN);
  const started = performance.now();
  const host = await machine();
  log(`Baton benchmark${o.quick ? ' (quick)' : ''}: ${o.drivers.join(', ')} on ${host.cpus} CPUs, ${host.postgres.split(' on ')[0]}, `
    + `Node ${host.node}; windows ${o.engine.windows.windows} x ${o.engine.windows.windowMs} ms after ${o.engine.windows.warmupMs} ms warm-up`);
  let pg: PgBaseline | undefined;
  if (!o.skip.has('pg')) {
    await quiet(o, 'postgres');
    log('[postgres] baseline');
    pg = await measurePgBaseline(o.pg, log);
  }
  let peer: PeerFigures | undefined;
  if (!o.skip.has('peer')) {
    await quiet(o, 'peer');
    log(`[peer] ${PEER}: the same 3-step chain, in its own process and database`);
    try {
      const w = o.engine.windows;
      peer = await benchPeer({
        concurrencies: o.engine.concurrencies, warmupMs: w.warmupMs, windowMs: w.windowMs, windows: w.windows, batchSize: o.peerBatchSize,
      }, log);
    } catch (error) {
      log(`[peer] FAILED: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const results: DriverResult[] = [];
  for (const driver of o.drivers) results.push(await benchDriver(driver, o));

  const summaries = results.map((r) => summarize(r, pg, peer));
  const seconds = (performance.now() - started) / 1000;
  log('');
  log(table(results, pg));
  if (peer) log(`\n${peerTable(peer, results, pg)}`);
  log('');
  for (const x of summaries) log(summaryLine(x));
  log(`Definitions: a transition is one step result applied by the engine (baton_step_transitions_total; a 3-step run = 3). `
    + `Latency runs from the request (open loop: its intended start) to the COMPLETED status event arriving here. `
    + `Each figure is the median [min–max] of ${o.engine.windows.windows} consecutive ${o.engine.windows.windowMs} ms windows after a warm-up. `
    + `Engine CPU is the engine process's user + system time (/proc) per transition; with two instances, summed over both. `
    + `Everything (PostgreSQL, broker, engine, worker, load generator) shares this machine's ${host.cpus} CPUs.`);
  log(`Finished in ${Math.round(seconds)} s`);

  const dir = join(REPO_ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({
    at: new Date().toISOString(), seconds, machine: host, options: { ...o, skip: [...o.skip] }, postgres: pg, peer, results, summaries,
  }, null, 2));
  log(`Results written to ${file}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

process.once('SIGINT', () => process.exit(130));
// Exit when done: a broker client that is slow to let go must not keep the benchmark alive.
main().then(() => process.exit(process.exitCode ?? 0), (error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
