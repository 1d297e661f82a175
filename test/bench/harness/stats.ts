import * as hdr from 'hdr-histogram-js';
import { readFileSync } from 'node:fs';

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
