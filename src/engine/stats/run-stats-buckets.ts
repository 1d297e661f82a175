/** A count of runs in one time bucket (index from the window's start), from an aggregate query. */
export interface BucketCount { bucket: number; status?: string; count: number }

export interface RunStatsBucket { start: Date; created: Record<string, number>; finished: number }

/**
 * Spreads aggregate rows over every bucket of the window, empty ones included, so a chart can
 * draw gaps as gaps. Rows outside the window (a clock edge) are dropped.
 */
export function fillBuckets(from: Date, bucketSeconds: number, buckets: number, created: BucketCount[], finished: BucketCount[]): RunStatsBucket[] {
  const out: RunStatsBucket[] = Array.from({ length: buckets }, (_, i) => ({
    start: new Date(from.getTime() + i * bucketSeconds * 1000), created: {}, finished: 0,
  }));
  const inWindow = (b: number) => Number.isInteger(b) && b >= 0 && b < buckets;
  for (const row of created) if (inWindow(row.bucket) && row.status) out[row.bucket].created[row.status] = (out[row.bucket].created[row.status] ?? 0) + row.count;
  for (const row of finished) if (inWindow(row.bucket)) out[row.bucket].finished += row.count;
  return out;
}

export function totalsOf(buckets: RunStatsBucket[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const b of buckets) for (const [status, n] of Object.entries(b.created)) totals[status] = (totals[status] ?? 0) + n;
  return totals;
}
