import { fitText } from '../common/validation/fit-text';

/** Deeper than this, a kept partner value is cut: the engine's outputs allow 100 levels, and ours sit a few levels down. */
export const MAX_KEPT_DEPTH = 64;

type Container = Record<string, unknown> | unknown[];

/**
 * A copy of a parsed JSON value that PostgreSQL's jsonb can store: NUL and lone UTF-16
 * surrogates in strings and keys become U+FFFD (fitText), and whatever is nested deeper than
 * `maxDepth` is replaced by a note. `mapString` runs on every string and key first (a scrub of
 * credentials); a string or number under a key that `hidesValue` names becomes `***`, at any depth
 * (a scrub sees a key and its value apart, so it cannot tell `"password": "hunter2"` is one).
 * Walks with an explicit stack: a partner's hostile nesting cannot overflow it.
 */
export function storableJson(value: unknown, mapString: (text: string) => string = (t) => t, maxDepth = MAX_KEPT_DEPTH,
  hidesValue: (key: string) => boolean = () => false): unknown {
  const text = (s: string) => {
    const mapped = mapString(s);
    return fitText(mapped, mapped.length);
  };
  const holder: unknown[] = [];
  const stack: Array<{ node: unknown; depth: number; into: Container; key: string | number }> = [{ node: value, depth: 0, into: holder, key: 0 }];
  while (stack.length > 0) {
    const { node, depth, into, key } = stack.pop()!;
    let copy: unknown;
    if (typeof node === 'string') copy = text(node);
    else if (node === null || typeof node !== 'object') copy = node ?? null;
    else if (depth >= maxDepth) copy = `(nested deeper than ${maxDepth} levels: not kept)`;
    else if (Array.isArray(node)) {
      const out: unknown[] = new Array(node.length);
      node.forEach((child, i) => stack.push({ node: child, depth: depth + 1, into: out, key: i }));
      copy = out;
    } else {
      const out: Record<string, unknown> = {};
      // Pushed last first, so that they are popped, and their keys made, in the order written.
      const entries = Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [name, child] = entries[i];
        const hidden = (typeof child === 'string' || typeof child === 'number') && hidesValue(name);
        stack.push({ node: hidden ? '***' : child, depth: depth + 1, into: out, key: text(name) });
      }
      copy = out;
    }
    // defineProperty: a key such as __proto__ stays an own property instead of changing the prototype.
    Object.defineProperty(into, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  return holder[0];
}
