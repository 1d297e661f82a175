import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Deployment } from './deployment';
import { CpuAccount, CpuShares, Latency, MachineCpu } from './stats';

export interface LoadTarget {
  deployment: Deployment;
  orchName: string;
  payload: unknown;
  /** How runs start: POST /execute (the default), or a message on the execution-start topic (real brokers). */
  via?: 'http' | 'topic';
}

/** Measurement windows after a warm-up; each window is one repetition of the figure. */
export interface Windows {
  warmupMs: number;
  windowMs: number;
  windows: number;
  /** A run not ended by then counts as lost (and fails the figure). */
  runTimeoutMs?: number;
}

export interface WindowFigures {
  /** Runs whose COMPLETED event arrived within the window, per second. */
  runsPerSec: number;
  /** Step results the engine applied in the window (its baton_step_transitions_total), per second. */
  transitionsPerSec: number;
  /** Latency of runs started in the window: request sent (or intended, open loop) → COMPLETED event. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU the engine process used, in cores (1.0 = one core busy). */
  engineCores: number;
  /** Engine-process CPU (user + system) per transition applied in the window, microseconds. */
  engineCpuUsPerTransition: number;
  /** Busy share of the whole machine (all cores). */
  machineBusy: number;
  /** Cores used by PostgreSQL and the broker, and by processes that are not part of the benchmark. */
  serviceCores: number;
  foreignCores: number;
  /** Runs that ended in another status, timed out, or were not accepted. */
  failures: number;
}

interface Sample {
  at: number;
  transitions: number;
  engineCpuSec: number;
  machineBusy: number;
  cpu: CpuShares;
}

interface Outcome {
  ok: boolean;
  endAt: number;
}

/** Starts one run and resolves when its terminal event arrives (ok: COMPLETED), or on timeout. */
export async function startAndWait(t: LoadTarget, timeoutMs: number): Promise<Outcome> {
  const d = t.deployment;
  const correlationId = randomUUID();
  const ended = d.tracker.expect(correlationId);
  try {
    if (t.via === 'topic') {
      await d.startOnTopic(t.orchName, t.payload, correlationId);
    } else {
      const res = await d.nextClient().execute(t.orchName, t.payload, correlationId);
      if (res.statusCode !== 202) throw new Error(`execute answered ${res.statusCode}`);
    }
  } catch {
    d.tracker.forget(correlationId);
    return { ok: false, endAt: performance.now() };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const end = await Promise.race([ended, timeout]);
  clearTimeout(timer);
  if (!end) {
    d.tracker.forget(correlationId);
    return { ok: false, endAt: performance.now() };
  }
  return { ok: end.status === 'COMPLETED', endAt: end.at };
}

/** Takes engine counters at each boundary (metrics scrape, CPU), so every window gets its deltas. */
class Sampler {
  private readonly machine = new MachineCpu();
  private readonly account: CpuAccount;
  readonly samples: Promise<Sample>[] = [];

  constructor(private readonly d: Deployment) {
    this.account = new CpuAccount(() => d.pids());
  }

  scheduleAt(bounds: number[]): void {
    for (const at of bounds) {
      this.samples.push(sleep(Math.max(0, at - performance.now())).then(() => this.take()));
    }
  }

  private async take(): Promise<Sample> {
    const at = performance.now();
    const foreign = await this.d.otherDatabaseBackends().catch(() => new Set<number>());
    const machineBusy = this.machine.sample();
    const cpu = this.account.sample(foreign);
    const engineCpuSec = this.d.engineCpuSeconds();
    const transitions = await this.d.transitions().catch(() => NaN);
    return { at, transitions, engineCpuSec, machineBusy, cpu };
  }
}

const windowOf = (bounds: number[], at: number) => {
  for (let k = 0; k < bounds.length - 1; k++) if (at >= bounds[k] && at < bounds[k + 1]) return k;
  return -1;
};

function figures(samples: Sample[], completions: number[], latencies: Latency[], failures: number[]): WindowFigures[] {
  return completions.map((done, k) => {
    const from = samples[k];
    const to = samples[k + 1];
    const seconds = (to.at - from.at) / 1000;
    return {
      runsPerSec: done / seconds,
      transitionsPerSec: (to.transitions - from.transitions) / seconds,
      p50Ms: latencies[k].percentileMs(50), p99Ms: latencies[k].percentileMs(99), maxMs: latencies[k].maxMs,
      engineCores: (to.engineCpuSec - from.engineCpuSec) / seconds,
      engineCpuUsPerTransition: ((to.engineCpuSec - from.engineCpuSec) * 1e6) / (to.transitions - from.transitions),
      machineBusy: to.machineBusy, serviceCores: to.cpu.services, foreignCores: to.cpu.foreign, failures: failures[k],
    };
  });
}

function boundaries(start: number, w: Windows): number[] {
  return Array.from({ length: w.windows + 1 }, (_, k) => start + w.warmupMs + k * w.windowMs);
}

/**
 * Closed loop: `concurrency` clients, each starting a run and waiting for its COMPLETED event
 * before starting the next. Throughput counts runs that completed inside each window.
 */
export async function closedLoop(t: LoadTarget, concurrency: number, w: Windows): Promise<WindowFigures[]> {
  const sampler = new Sampler(t.deployment);
  const bounds = boundaries(performance.now(), w);
  sampler.scheduleAt(bounds);
  const end = bounds[bounds.length - 1];
  const completions = new Array<number>(w.windows).fill(0);
  const failures = new Array<number>(w.windows).fill(0);
  const latencies = Array.from({ length: w.windows }, () => new Latency());
  const client = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const outcome = await startAndWait(t, w.runTimeoutMs ?? 30_000);
      const k = windowOf(bounds, outcome.endAt);
      if (!outcome.ok) {
        if (k >= 0) failures[k]++;
        continue;
      }
      if (k >= 0) completions[k]++;
      const s = windowOf(bounds, started);
      if (s >= 0 && outcome.endAt < end) latencies[s].recordMs(outcome.endAt - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return figures(await Promise.all(sampler.samples), completions, latencies, failures);
}

export interface OpenWindowFigures extends WindowFigures {
  offeredPerSec: number;
  /** Runs offered in the window that never completed (failed or timed out). */
  unfinished: number;
  /** Completed kept up with offered: every offered run completed, at >= 95% of the offered rate. */
  throughputKeptUp: boolean;
  /** ... and p99 stayed under the limit. */
  keptUp: boolean;
}

/**
 * Open loop: runs are started at fixed intended times (`rate` per second) whether or not earlier
 * ones finished, and latency is measured from the intended start, so a stalled engine shows up
 * in the latency instead of slowing the load (no coordinated omission).
 */
export async function openLoop(t: LoadTarget, rate: number, w: Windows, p99LimitMs: number): Promise<OpenWindowFigures[]> {
  const sampler = new Sampler(t.deployment);
  const start = performance.now();
  const bounds = boundaries(start, w);
  sampler.scheduleAt(bounds);
  const end = bounds[bounds.length - 1];
  const completions = new Array<number>(w.windows).fill(0);
  const failures = new Array<number>(w.windows).fill(0);
  const offered = new Array<number>(w.windows).fill(0);
  const latencies = Array.from({ length: w.windows }, () => new Latency());
  const running: Promise<void>[] = [];
  const interval = 1000 / rate;
  let next = start;
  while (next < end) {
    const now = performance.now();
    while (next <= now && next < end) {
      const intended = next;
      next += interval;
      const s = windowOf(bounds, intended);
      if (s >= 0) offered[s]++;
      running.push(startAndWait(t, w.runTimeoutMs ?? 30_000).then((outcome) => {
        const k = windowOf(bounds, outcome.endAt);
        if (!outcome.ok) {
          if (s >= 0) failures[s]++;
          return;
        }
        if (k >= 0) completions[k]++;
        if (s >= 0) latencies[s].recordMs(outcome.endAt - intended);
      }));
    }
    await sleep(Math.max(0, Math.min(next, end) - performance.now()));
  }
  await Promise.all(running);
  return figures(await Promise.all(sampler.samples), completions, latencies, failures).map((f, k) => {
    const offeredPerSec = offered[k] / (w.windowMs / 1000);
    const unfinished = failures[k];
    const throughputKeptUp = unfinished === 0 && f.runsPerSec >= 0.95 * offeredPerSec;
    return { ...f, offeredPerSec, unfinished, throughputKeptUp, keptUp: throughputKeptUp && f.p99Ms < p99LimitMs };
  });
}

export interface BurstFigures {
  /** Runs asked for, and run (fewer when scaled to the measured throughput to bound the time). */
  requestedRuns?: number;
  runs: number;
  completed: number;
  /** First request sent → last 202 received. */
  acceptMs: number;
  /** First request sent → last run's COMPLETED event. */
  drainMs: number;
  runsPerSec: number;
  /** Engine's resident memory before the burst and at its peak during it (MiB). */
  rssBeforeMiB: number;
  peakRssMiB: number;
  engineCores: number;
}

/** `runs` runs started as fast as `concurrency` requests in flight allow; then wait for all of them. */
export async function burst(t: LoadTarget, runs: number, concurrency: number, timeoutMs: number): Promise<BurstFigures> {
  const d = t.deployment;
  d.engine.child.resetPeakMemory();
  const before = d.engine.child.memory();
  const cpuBefore = d.engineCpuSeconds();
  const start = performance.now();
  let nextIndex = 0;
  let lastAccepted = start;
  const ends: Promise<Outcome>[] = [];
  // One timer for the whole burst (a timer per run would keep the process alive long after).
  let expire: NodeJS.Timeout | undefined;
  const expired = new Promise<Outcome>((resolve) => {
    expire = setTimeout(() => resolve({ ok: false, endAt: NaN }), timeoutMs);
  });
  const sender = async () => {
    while (nextIndex < runs) {
      nextIndex++;
      const correlationId = randomUUID();
      const ended = d.tracker.expect(correlationId);
      const res = await d.nextClient().execute(t.orchName, t.payload, correlationId).catch(() => undefined);
      lastAccepted = performance.now();
      if (res?.statusCode !== 202) {
        d.tracker.forget(correlationId);
        continue;
      }
      ends.push(Promise.race([ended.then((e) => ({ ok: e.status === 'COMPLETED', endAt: e.at })), expired]));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  const outcomes = await Promise.all(ends);
  clearTimeout(expire);
  const completed = outcomes.filter((o) => o.ok);
  const lastEnd = Math.max(...completed.map((o) => o.endAt));
  const drainMs = lastEnd - start;
  const peak = d.engine.child.memory();
  return {
    runs, completed: completed.length, acceptMs: lastAccepted - start, drainMs,
    runsPerSec: completed.length / (drainMs / 1000),
    rssBeforeMiB: before.rssKb / 1024, peakRssMiB: peak.peakRssKb / 1024,
    engineCores: (d.engineCpuSeconds() - cpuBefore) / (drainMs / 1000),
  };
}
