import type { DataSource } from 'typeorm';

/**
 * Deletes at most `batch` worker instances whose presence expired (last seen more than `ttlSeconds`
 * ago), and answers how many. An instance that stops says so and is deleted then; one that crashed
 * or was killed never does, and every SDK process is a new instance, so without this the rows of
 * past deploys would pile up forever. Nothing reads an expired instance: a beat brings it back.
 */
export async function pruneExpiredInstances(dataSource: DataSource, ttlSeconds: number, batch: number): Promise<number> {
  const [row]: Array<{ n: number }> = await dataSource.query(
    `WITH gone AS (
       DELETE FROM worker_instance WHERE instance_id IN (
         SELECT instance_id FROM worker_instance WHERE last_seen_at < now() - make_interval(secs => $1) LIMIT $2)
       RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [ttlSeconds, batch],
  );
  return row.n;
}
