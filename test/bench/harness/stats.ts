import * as hdr from 'hdr-histogram-js';
import { readdirSync, readFileSync } from 'node:fs';

/** A figure measured several times: the median is the figure, min–max its spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function spread(values: number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, values };
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values };
}

/** Latencies in microseconds, reported in milliseconds. */
export class Latency {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

  recordMs(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentileMs(p: number): number {
    return this.count === 0 ? NaN : this.histogram.getValueAtPercentile(p) / 1000;
  }

  get maxMs(): number {
    return this.count === 0 ? NaN : this.histogram.maxValue / 1000;
  }
}

/** Busy share of all CPUs of the machine between two readings of /proc/stat. */
export class MachineCpu {
  private last = MachineCpu.read();

  private static read(): { busy: number; total: number } {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  }

  /** Busy share (0–1) since the previous call (or construction). */
  sample(): number {
    const now = MachineCpu.read();
    const share = (now.busy - this.last.busy) / Math.max(1, now.total - this.last.total);
    this.last = now;
    return share;
  }
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** Server processes the benchmark talks to (PostgreSQL, RabbitMQ, Kafka). */
const SERVICES = new Set(['postgres', 'beam.smp', 'java', 'erl_child_setup', 'epmd', 'inet_gethost']);

export interface CpuShares {
  /** CPU in cores (1.0 = one core busy) over the interval. */
  own: number;
  /** PostgreSQL (less its backends serving other databases), RabbitMQ, Kafka. */
  services: number;
  /** Everything else on the machine: other people's tests and their database sessions, builds... it skews every figure. */
  foreign: number;
}

/**
 * Splits the machine's CPU use by process between two samples: ours (this process and the pids
 * given), the servers (by command name) and everything else. On a shared box the `foreign` share
 * says how much a figure can be trusted.
 */
export class CpuAccount {
  private last: Map<number, { comm: string; ticks: number }>;
  private lastAt = Date.now();

  constructor(private readonly ownPids: () => Array<number | undefined>) {
    this.last = CpuAccount.read();
  }

  private static read(): Map<number, { comm: string; ticks: number }> {
    const result = new Map<number, { comm: string; ticks: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        result.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
      } catch {
        // exited meanwhile
      }
    }
    return result;
  }

  /** `foreign` names server processes working for someone else (PostgreSQL backends of other databases). */
  sample(foreign: Set<number> = new Set()): CpuShares {
    const now = CpuAccount.read();
    const at = Date.now();
    const seconds = Math.max(0.001, (at - this.lastAt) / 1000);
    const own = new Set([process.pid, ...this.ownPids().filter((p): p is number => p !== undefined)]);
    const shares = { own: 0, services: 0, foreign: 0 };
    for (const [pid, { comm, ticks }] of now) {
      const delta = (ticks - (this.last.get(pid)?.ticks ?? 0)) / 100 / seconds;
      if (own.has(pid) || comm === 'pgbench') shares.own += delta;
      else if (SERVICES.has(comm) && !foreign.has(pid)) shares.services += delta;
      else shares.foreign += delta;
    }
    this.last = now;
    this.lastAt = at;
    return shares;
  }
}

/** Waits (up to `maxMs`) until other processes use less than `cores` for a whole `quietMs`. */
export async function waitForQuiet(maxMs: number, cores = 0.25, quietMs = 2000): Promise<{ waitedMs: number; foreign: number }> {
  const started = Date.now();
  const account = new CpuAccount(() => []);
  let foreign = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    foreign = account.sample().foreign;
    if (foreign < cores || Date.now() - started >= maxMs) return { waitedMs: Date.now() - started, foreign };
  }
}
