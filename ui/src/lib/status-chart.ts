import type { RunStats } from '../api/types';

/** Stacking order, bottom up: finished runs first, grouped by colour family (see styles.css). */
export const STATUS_ORDER = [
  'COMPLETED', 'UNDONE', 'FAILED', 'COMPENSATION_FAILED', 'UNDO_FAILED', 'EXPIRED', 'TERMINATED',
  'COMPENSATING', 'UNDOING', 'PAUSED', 'RUNNING', 'WAITING_FOR_WORKERS',
];

export interface ChartSegment { status: string; count: number; y: number; height: number }
export interface ChartColumn { start: string; x: number; width: number; segments: ChartSegment[]; finished: number; finishedY: number }

/** Stacked columns of runs created per bucket, by their status now, plus the finished count per bucket for the throughput line. */
export function layoutStatusChart(stats: RunStats, width: number, height: number): { columns: ChartColumn[]; max: number; statuses: string[] } {
  const n = Math.max(stats.buckets.length, 1);
  const max = Math.max(1, ...stats.buckets.map((b) => Math.max(sum(b.created), b.finished)));
  const seen = new Set(stats.buckets.flatMap((b) => Object.keys(b.created)));
  const statuses = [...STATUS_ORDER.filter((s) => seen.has(s)), ...[...seen].filter((s) => !STATUS_ORDER.includes(s)).sort()];
  const slot = width / n;
  const columns = stats.buckets.map((b, i) => {
    let top = height;
    const segments = statuses.filter((s) => b.created[s]).map((status) => {
      const h = (b.created[status] / max) * height;
      top -= h;
      return { status, count: b.created[status], y: top, height: h };
    });
    return { start: b.start, x: i * slot + slot * 0.1, width: slot * 0.8, segments, finished: b.finished, finishedY: height - (b.finished / max) * height };
  });
  return { columns, max, statuses };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** Finished runs per minute over the whole window. */
export function throughputPerMinute(stats: RunStats): number {
  const minutes = (stats.buckets.length * stats.bucketSeconds) / 60;
  const finished = stats.buckets.reduce((a, b) => a + b.finished, 0);
  return minutes > 0 ? finished / minutes : 0;
}
