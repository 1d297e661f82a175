import type { DataSource } from 'typeorm';

/** The append-only tables the healer keeps to AUDIT_RETENTION_DAYS. */
export type AuditTable = 'registration_audit' | 'security_audit';

/**
 * Deletes at most `batch` rows of `table` created before `cutoff`, oldest first, and answers how
 * many: the healer prunes a batch per tick, so a long backlog never holds one long delete.
 */
export async function pruneOlderThan(dataSource: DataSource, table: AuditTable, cutoff: Date, batch: number): Promise<number> {
  // Counted in SQL: TypeORM answers a bare DELETE … RETURNING with [rows, rowCount], whose length is always 2.
  const [row]: Array<{ n: number }> = await dataSource.query(
    `WITH gone AS (
       DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE created_at < $1 ORDER BY id LIMIT $2) RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [cutoff, batch],
  );
  return row.n;
}
