/** How deep a field error is read: AWX's go two or three levels (`{"credentials": {"0": ["Invalid"]}}`). */
const MAX_DEPTH = 16;
/** Enough of the messages for an error text: HttpTransport.errorFor keeps 2,000 characters of it. */
const MAX_CHARS = 2_000;
/** Keys whose messages are not about one field: shown without it. */
const BARE_KEYS = new Set(['__all__', 'non_field_errors']);

/**
 * The messages under each root, each after the keys that lead to it, in document order. Walked with
 * a stack of its own, to a bounded depth and length: the recursive walk overflowed the call stack on
 * an answer nested thousands of levels deep, and that RangeError made a retriable 5xx fail the launch
 * for good, and a poll cancel a running job.
 */
function flatten(roots: Array<[prefix: string, value: unknown]>): string[] {
  const out: string[] = [];
  let chars = 0;
  const stack = roots.map(([prefix, node]) => ({ prefix, node, depth: 0 })).reverse();
  while (stack.length && chars < MAX_CHARS) {
    const { prefix, node, depth } = stack.pop()!;
    if (node === null || node === undefined) continue;
    let message: string | undefined;
    if (typeof node !== 'object') message = typeof node === 'string' ? node : String(node);
    else if (depth >= MAX_DEPTH) message = `(nested deeper than ${MAX_DEPTH} levels)`;
    if (message !== undefined) {
      out.push(`${prefix}${message}`);
      chars += prefix.length + message.length + 2;
      continue;
    }
    const children: Array<[string, unknown]> = Array.isArray(node)
      ? node.map((child) => [prefix, child]) : Object.entries(node).map(([key, child]) => [`${prefix}${key}: `, child]);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ prefix: children[i][0], node: children[i][1], depth: depth + 1 });
  }
  return out;
}

/**
 * The human message in an AWX error body: `{"detail": "..."}`, or field errors such as
 * `{"variables_needed_to_start": ["'region' value missing"]}`, `{"extra_vars": ["..."]}`,
 * `{"__all__": [...]}`, joined as "field: message; field: message". Undefined for a non-JSON body.
 */
export function awxErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed === 'string') return parsed;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return flatten([['', parsed]]).join('; ') || undefined;
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.detail === 'string') return obj.detail;
  if (typeof obj.error === 'string') return obj.error;
  const parts = flatten(Object.entries(obj).map(([key, value]) => [BARE_KEYS.has(key) ? '' : `${key}: `, value]));
  return parts.length ? parts.join('; ') : undefined;
}
