/** Segments of a JSON path as written in a template: `$.data.items[0].id` → data, items, 0, id. */
function segments(path: string): string[] {
  return path.replace(/^\$\./, '').replace(/\[(\d+)\]/g, '.$1').split('.');
}

/** The value at a JSON path in a response body, or `found: false` when any step of it is missing. */
export function readJsonPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  let current = value;
  for (const key of segments(path)) {
    if (Array.isArray(current) && /^\d+$/.test(key) && Number(key) < current.length) current = current[Number(key)];
    else if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.prototype.hasOwnProperty.call(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else return { found: false };
  }
  return { found: true, value: current };
}

/** Deep equality of two JSON values (key order ignored). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length
    && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
