/** Thrown inside jsonPreview once the text is long enough: the rest of the value is not walked. */
const FULL = Symbol('full');

/**
 * The start of `JSON.stringify(value, null, 2)` (a string as it is), at most `limit` characters,
 * built without walking or copying more of the value than that: a run's payload or output may be
 * megabytes, and the run page renders it on every poll.
 */
export function jsonPreview(value: unknown, limit: number): { text: string; truncated: boolean } {
  if (typeof value === 'string') return { text: value.slice(0, limit), truncated: value.length > limit };
  const parts: string[] = [];
  let length = 0;
  const put = (s: string) => {
    if (length + s.length > limit) {
      parts.push(s.slice(0, limit - length));
      throw FULL;
    }
    parts.push(s);
    length += s.length;
  };
  const write = (v: unknown, indent: string): void => {
    if (v === null || typeof v !== 'object') {
      // A long string is cut before it is escaped: escaping only lengthens it.
      const room = limit - length + 1;
      return put(JSON.stringify(typeof v === 'string' && v.length > room ? v.slice(0, room) : v) ?? 'null');
    }
    const inner = `${indent}  `;
    // Item by item rather than through Object.entries or map, which would copy every item first.
    if (Array.isArray(v)) {
      if (v.length === 0) return put('[]');
      for (let i = 0; i < v.length; i++) {
        put(`${i ? ',' : '['}\n${inner}`);
        write(v[i], inner);
      }
      return put(`\n${indent}]`);
    }
    let first = true;
    for (const key in v) {
      const item = (v as Record<string, unknown>)[key];
      if (!Object.hasOwn(v, key) || item === undefined || typeof item === 'function') continue;
      put(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
      first = false;
      write(item, inner);
    }
    put(first ? '{}' : `\n${indent}}`);
  };
  try {
    write(value, '');
    return { text: parts.join(''), truncated: false };
  } catch (e) {
    if (e !== FULL) throw e;
    return { text: parts.join(''), truncated: true };
  }
}

/** The whole text, for copying. */
export const fullText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? 'null');
