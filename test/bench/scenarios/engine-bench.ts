import { setTimeout as sleep } from 'node:timers/promises';
import { Deployment } from '../harness/deployment';
import { burst, BurstFigures, closedLoop, LoadTarget, openLoop, OpenWindowFigures, WindowFigures, Windows } from '../harness/load';
import type { Driver } from '../harness/services';
import { round, Spread, spread } from '../harness/stats';
import { PARALLEL, SEQUENTIAL } from './flows';

export interface EngineBenchOptions {
  windows: Windows;
  concurrencies: number[];
  /** Open-loop rates: explicit, or fractions of the closed-loop peak (runs/s). */
  rates?: number[];
  rateFractions: number[];
  p99LimitMs: number;
  parallelConcurrency?: number;
  burstRuns: number;
  /** Scale the burst down to what the closed-loop peak drains in this many seconds (0: never scale). */
  burstMaxSeconds: number;
  burstRepetitions: number;
  burstConcurrency: number;
  engineEnv: Record<string, string>;
  databaseSocketDir?: string;
  skip: Set<string>;
}

/** A figure over the measurement windows. */
export interface PointFigures {
  runsPerSec: Spread;
  transitionsPerSec: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  engineCores: Spread;
  /** Engine-process CPU per transition, microseconds (see WindowFigures). */
  engineCpuUsPerTransition: Spread;
  machineBusy: Spread;
  serviceCores: Spread;
  foreignCores: Spread;
  failures: number;
}

export interface ClosedPoint extends PointFigures {
  concurrency: number;
}

export interface OpenPoint extends PointFigures {
  rate: number;
  /** Windows in which completed kept up with offered and p99 stayed under the limit. */
  keptUpWindows: number;
  keptUp: boolean;
  /** Completed kept up with offered in most windows, whatever the latency. */
  throughputKeptUp: boolean;
}

export interface EngineFigures {
  driver: Driver;
  /** Where the echo worker ran relative to the engine. */
  workerPlacement: string;
  oneInFlight?: { p50Ms: Spread; p99Ms: Spread };
  closedLoop: ClosedPoint[];
  peak?: ClosedPoint;
  /** sustained: highest rate kept up with p99 under the limit; sustainedThroughput: highest kept up at all. */
  openLoop: { points: OpenPoint[]; sustained?: OpenPoint; sustainedThroughput?: OpenPoint };
  parallel?: ClosedPoint;
  burst: BurstFigures[];
}

export function pointOf(windows: WindowFigures[]): PointFigures {
  const of = (pick: (w: WindowFigures) => number) => spread(windows.map(pick));
  return {
    runsPerSec: of((w) => w.runsPerSec), transitionsPerSec: of((w) => w.transitionsPerSec),
    p50Ms: of((w) => w.p50Ms), p99Ms: of((w) => w.p99Ms), engineCores: of((w) => w.engineCores),
    engineCpuUsPerTransition: of((w) => w.engineCpuUsPerTransition),
    machineBusy: of((w) => w.machineBusy), serviceCores: of((w) => w.serviceCores), foreignCores: of((w) => w.foreignCores),
    failures: windows.reduce((n, w) => n + w.failures, 0),
  };
}

const settle = () => sleep(500);

/** Scenarios (a)–(e) against one engine deployment on one driver. */
export async function benchEngine(driver: Driver, o: EngineBenchOptions, log: (line: string) => void): Promise<EngineFigures> {
  const d = await Deployment.start({ driver, flows: [SEQUENTIAL, PARALLEL], engineEnv: o.engineEnv, prefix: 'bench', log,
    databaseSocketDir: o.databaseSocketDir,
  });
  const figures: EngineFigures = {
    driver, workerPlacement: d.inProcessWorker ? 'same process as the engine (in-process broker)' : 'separate process',
    closedLoop: [], openLoop: { points: [] }, burst: [],
  };
  const seq: LoadTarget = { deployment: d, orchName: SEQUENTIAL.orchName, payload: { sku: 'A1', qty: 1 } };
  try {
    // (a) + (b): closed loop; concurrency 1 is (a), one run in flight.
    if (!o.skip.has('closed')) {
      for (const concurrency of o.concurrencies) {
        const p: ClosedPoint = { concurrency, ...pointOf(await closedLoop(seq, concurrency, o.windows)) };
        figures.closedLoop.push(p);
        log(`  closed loop c=${concurrency}: ${round(p.runsPerSec.median)} runs/s, ${round(p.transitionsPerSec.median)} transitions/s, `
          + `p50 ${round(p.p50Ms.median, 2)} ms, p99 ${round(p.p99Ms.median, 2)} ms, engine ${round(p.engineCores.median, 2)} cores `
          + `(${round(p.engineCpuUsPerTransition.median)} µs CPU per transition), `
          + `servers ${round(p.serviceCores.median, 2)}, foreign ${round(p.foreignCores.median, 2)}`
          + (p.failures ? `, ${p.failures} FAILED` : ''));
        if (concurrency === 1) figures.oneInFlight = { p50Ms: p.p50Ms, p99Ms: p.p99Ms };
        await settle();
      }
      figures.peak = [...figures.closedLoop].sort((a, b) => b.runsPerSec.median - a.runsPerSec.median)[0];
    }

    // (c): open loop, ascending rates until completed no longer keeps up with offered.
    if (!o.skip.has('open')) {
      const peakRate = figures.peak?.runsPerSec.median ?? 200;
      const rates = o.rates ?? o.rateFractions.map((f) => Math.max(5, Math.round((f * peakRate) / 5) * 5));
      for (const rate of [...new Set(rates)].sort((a, b) => a - b)) {
        const windows: OpenWindowFigures[] = await openLoop(seq, rate, o.windows, o.p99LimitMs);
        const majority = (n: number) => n * 2 > windows.length;
        const keptUpWindows = windows.filter((w) => w.keptUp).length;
        const p: OpenPoint = {
          rate, ...pointOf(windows), keptUpWindows, keptUp: majority(keptUpWindows),
          throughputKeptUp: majority(windows.filter((w) => w.throughputKeptUp).length),
        };
        figures.openLoop.points.push(p);
        log(`  open loop ${rate} runs/s: ${p.keptUp ? 'kept up' : p.throughputKeptUp ? `kept up, p99 over ${o.p99LimitMs} ms` : 'did NOT keep up'} `
          + `(${keptUpWindows}/${windows.length} windows), completed ${round(p.runsPerSec.median)} runs/s, `
          + `p50 ${round(p.p50Ms.median, 2)} ms, p99 ${round(p.p99Ms.median, 2)} ms, engine ${round(p.engineCpuUsPerTransition.median)} µs CPU per transition, `
          + `foreign ${round(p.foreignCores.median, 2)} cores`);
        await settle();
        if (!p.throughputKeptUp) break;
        figures.openLoop.sustainedThroughput = p;
        if (p.keptUp) figures.openLoop.sustained = p;
      }
    }

    // (d): the 5-way parallel flow, closed loop at the sequential flow's best concurrency.
    if (!o.skip.has('parallel')) {
      const concurrency = o.parallelConcurrency ?? figures.peak?.concurrency ?? 32;
      const par: LoadTarget = { deployment: d, orchName: PARALLEL.orchName, payload: { sku: 'A1', qty: 1 } };
      figures.parallel = { concurrency, ...pointOf(await closedLoop(par, concurrency, o.windows)) };
      const p = figures.parallel;
      log(`  parallel x5 c=${concurrency}: ${round(p.runsPerSec.median)} runs/s, ${round(p.transitionsPerSec.median)} transitions/s, `
        + `p50 ${round(p.p50Ms.median, 2)} ms, p99 ${round(p.p99Ms.median, 2)} ms, engine ${round(p.engineCpuUsPerTransition.median)} µs CPU per transition`);
      await settle();
    }

    // (e): a burst, last because it leaves the most rows behind.
    if (!o.skip.has('burst')) {
      const peak = figures.peak?.runsPerSec.median;
      const runs = o.burstMaxSeconds > 0 && peak ? Math.min(o.burstRuns, Math.max(500, Math.round((peak * o.burstMaxSeconds) / 100) * 100)) : o.burstRuns;
      if (runs < o.burstRuns) {
        log(`  burst scaled to ${runs} runs: ${o.burstRuns} at the closed-loop peak of ${round(peak!)} runs/s would take `
          + `~${Math.round(o.burstRuns / peak!)} s (--burst-max-s 0 runs all of them)`);
      }
      for (let r = 0; r < o.burstRepetitions; r++) {
        const b = { requestedRuns: o.burstRuns, ...(await burst(seq, runs, o.burstConcurrency, 600_000)) };
        figures.burst.push(b);
        log(`  burst ${b.runs} runs: ${b.completed} completed, accepted in ${round(b.acceptMs / 1000, 2)} s, drained in `
          + `${round(b.drainMs / 1000, 2)} s (${round(b.runsPerSec)} runs/s), engine RSS ${round(b.rssBeforeMiB)} → peak ${round(b.peakRssMiB)} MiB`);
        await settle();
      }
    }
    return figures;
  } catch (error) {
    (error as Error).message += `\n${d.output()}`;
    throw error;
  } finally {
    await d.stop();
  }
}
