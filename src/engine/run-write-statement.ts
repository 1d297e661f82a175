/**
 * In a run's write, every part but the run's own refers to it through this, so that it writes
 * only if the run's write did (the first CTE, named `run`, returns a row if and only if so).
 */
export const WRITTEN = 'EXISTS (SELECT 1 FROM run)';

/** One transition's write: the run's own write, the parts guarded by it, and what it returns. */
export interface RunWrite {
  /** The run's own write first (`run`); the others refer to it only through {@link WRITTEN}. */
  ctes: Array<{ name: string; sql: string }>;
  /** Output columns besides `written`, by alias. */
  columns: Array<{ alias: string; sql: string }>;
  params: unknown[];
}

/**
 * The write as one statement, returning one row: `written`, then each column by its alias. The
 * text depends only on the write's shape (which parts it has), never on its values, so it is
 * prepared once per connection.
 */
export function writeStatement(write: RunWrite): string {
  const ctes = write.ctes.map((cte) => `${cte.name} AS (${cte.sql})`).join(', ');
  const columns = write.columns.map((column) => `, ${column.sql} AS "${column.alias}"`).join('');
  return `WITH ${ctes} SELECT ${WRITTEN} AS "written"${columns}`;
}
