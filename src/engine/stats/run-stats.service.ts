import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BucketCount, fillBuckets, totalsOf } from './run-stats-buckets';
import type { RunStatsDto, RunStatsQueryDto } from './run-stats.dto';

/** Aggregates for the console's overview: two grouped counts, never the rows themselves. */
@Injectable()
export class RunStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async countRunsOverTime(q: RunStatsQueryDto, now = new Date()): Promise<RunStatsDto> {
    const bucketSeconds = (q.minutes * 60) / q.buckets;
    const from = new Date(now.getTime() - q.minutes * 60_000);
    const args = [from.getTime() / 1000, bucketSeconds, from, now];
    const bucketOf = (column: string) => `floor((extract(epoch from ${column}) - $1) / $2)::int`;
    const [created, finished] = await Promise.all([
      this.dataSource.query(
        `SELECT ${bucketOf('created_at')} AS bucket, status, count(*)::int AS count FROM orchestration_run
          WHERE created_at >= $3 AND created_at < $4 GROUP BY 1, 2`, args) as Promise<BucketCount[]>,
      this.dataSource.query(
        `SELECT ${bucketOf('finished_at')} AS bucket, count(*)::int AS count FROM orchestration_run
          WHERE finished_at >= $3 AND finished_at < $4 GROUP BY 1`, args) as Promise<BucketCount[]>,
    ]);
    const buckets = fillBuckets(from, bucketSeconds, q.buckets, created, finished);
    return { from, to: now, bucketSeconds, buckets, totals: totalsOf(buckets) };
  }
}
