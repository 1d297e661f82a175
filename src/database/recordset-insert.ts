import type { EntityMetadata, ObjectLiteral } from 'typeorm';

/**
 * An INSERT of entity rows that reads all of them from one JSON parameter (jsonb_to_recordset),
 * so that it can be a CTE of a larger statement with a fixed number of parameters. Columns come
 * from the entity's metadata; only those some row sets are written, the rest get their defaults.
 */
export function recordsetInsert(meta: EntityMetadata, rows: ObjectLiteral[], param: string, condition: string,
  ignoreConflicts: boolean): { sql: string; json: string } {
  const columns = meta.columns.filter((c) => rows.some((r) => r[c.propertyName] !== undefined));
  const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
  const types = columns.map((c) => `"${c.databaseName}" ${sqlType(c.type)}`).join(', ');
  const sql = `INSERT INTO "${meta.tableName}" (${names}) SELECT ${names} FROM jsonb_to_recordset(${param}::jsonb) AS x(${types})
    WHERE ${condition}${ignoreConflicts ? ' ON CONFLICT DO NOTHING' : ''}`;
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c.databaseName, jsonValue(r[c.propertyName])]))));
  return { sql, json };
}

function sqlType(type: unknown): string {
  if (typeof type !== 'string') throw new Error(`recordsetInsert needs explicit column types, got ${String(type)}`);
  return type;
}

/** bytea reads its hex input format; everything else is what JSON.stringify makes of it. */
function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return value ?? null;
}
