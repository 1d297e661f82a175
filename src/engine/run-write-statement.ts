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

interface ShapeNode {
  next: Map<string | number, ShapeNode>;
  text?: string;
}

/**
 * Texts already built, in a trie keyed by the write's parts in order: the number of CTEs, then
 * each CTE's name and text, then each column's alias and text. The long parts are module
 * constants and cached insert shapes, the same string each time, so a lookup hashes only short
 * new strings (`insert2`); building the several-kilobyte text on every write and hashing it for
 * its statement name took 2% of the engine's CPU at 32 runs in flight. The engine writes a few
 * dozen shapes; the cap only guards against that ever changing.
 */
const shapes: ShapeNode = { next: new Map() };
const MAX_SHAPES = 1024;
let shapeCount = 0;

/**
 * The write as one statement, returning one row: `written`, then each column by its alias. The
 * text depends only on the write's shape (which parts it has), never on its values, so it is
 * prepared once per connection.
 */
export function writeStatement(write: RunWrite): string {
  const keys: Array<string | number> = [write.ctes.length];
  for (const cte of write.ctes) keys.push(cte.name, cte.sql);
  for (const column of write.columns) keys.push(column.alias, column.sql);
  let node = shapes;
  for (let i = 0; i < keys.length; i++) {
    const next = node.next.get(keys[i]);
    if (!next) return remember(node, keys.slice(i), render(write));
    node = next;
  }
  return node.text ?? remember(node, [], render(write));
}

/** Adds the rest of a shape's path below `node`, unless the cap is reached. */
function remember(node: ShapeNode, rest: Array<string | number>, text: string): string {
  if (shapeCount >= MAX_SHAPES) return text;
  shapeCount += 1;
  let at = node;
  for (const key of rest) {
    const next: ShapeNode = { next: new Map() };
    at.next.set(key, next);
    at = next;
  }
  at.text = text;
  return text;
}

function render(write: RunWrite): string {
  const ctes = write.ctes.map((cte) => `${cte.name} AS (${cte.sql})`).join(', ');
  const columns = write.columns.map((column) => `, ${column.sql} AS "${column.alias}"`).join('');
  return `WITH ${ctes} SELECT ${WRITTEN} AS "written"${columns}`;
}
