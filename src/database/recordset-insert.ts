import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

interface Shape {
  columns: ColumnMetadata[];
  sql: string;
}

/**
 * Statement texts by entity, then by the columns written and the statement's placing: an engine
 * writes the same few shapes on every transition, and building them from metadata showed in the
 * profile. Bounded by entities × column subsets actually used.
 */
const shapes = new WeakMap<EntityMetadata, Map<string, Shape>>();

/**
 * An INSERT of entity rows that reads all of them from one JSON parameter (jsonb_to_recordset),
 * so that it can be a CTE of a larger statement with a fixed number of parameters. Columns come
 * from the entity's metadata; only those some row sets are written, the rest get their defaults.
 */
export function recordsetInsert(meta: EntityMetadata, rows: ObjectLiteral[], param: string, condition: string,
  ignoreConflicts: boolean): { sql: string; json: string } {
  const shape = shapeOf(meta, rows, param, condition, ignoreConflicts);
  const json = JSON.stringify(rows.map((r) => {
    const row: Record<string, unknown> = {};
    for (const c of shape.columns) row[c.databaseName] = jsonValue(r[c.propertyName]);
    return row;
  }));
  return { sql: shape.sql, json };
}

function shapeOf(meta: EntityMetadata, rows: ObjectLiteral[], param: string, condition: string, ignoreConflicts: boolean): Shape {
  let byKey = shapes.get(meta);
  if (!byKey) shapes.set(meta, (byKey = new Map()));
  let present = '';
  for (const c of meta.columns) present += rows.some((r) => r[c.propertyName] !== undefined) ? '1' : '0';
  const key = `${present}|${param}|${ignoreConflicts}|${condition}`;
  let shape = byKey.get(key);
  if (!shape) {
    const columns = meta.columns.filter((_, i) => present[i] === '1');
    const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
    const types = columns.map((c) => `"${c.databaseName}" ${sqlType(c.type)}`).join(', ');
    const sql = `INSERT INTO "${meta.tableName}" (${names}) SELECT ${names} FROM jsonb_to_recordset(${param}::jsonb) AS x(${types})
    WHERE ${condition}${ignoreConflicts ? ' ON CONFLICT DO NOTHING' : ''}`;
    byKey.set(key, (shape = { columns, sql }));
  }
  return shape;
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
