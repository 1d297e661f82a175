import type { Problem } from '../errors/app-error';
import { unstorableReason } from './storable-text';

export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects (the top level is depth 1). */
  maxDepth: number;
}

/**
 * The problems of a parsed JSON value that would break it later: nesting deeper than the limit
 * (recursive serialisers overflow the stack on it), strings or keys PostgreSQL cannot store, and
 * numbers a double does not carry exactly (past 2^53) or at all.
 * Walks with an explicit stack, so a hostile value cannot overflow this check itself. Stops at
 * the first few problems: one is enough to refuse the value.
 */
export function jsonShapeProblems(value: unknown, root: string, limits: JsonShapeLimits, max = 10): Problem[] {
  const problems: Problem[] = [];
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: value, path: root, depth: 0 }];
  while (stack.length > 0 && problems.length < max) {
    const { node, path, depth } = stack.pop()!;
    if (typeof node === 'string') {
      const reason = unstorableReason(node);
      if (reason) problems.push({ path, message: reason });
      continue;
    }
    // JSON.parse reads 1e400 as Infinity, which JSON.stringify writes as null: the value would change on its way.
    if (typeof node === 'number' && !Number.isFinite(node)) {
      problems.push({ path, message: 'is a number too large for a double (it would arrive as null)' });
      continue;
    }
    // Past 2^53 a double no longer holds every integer: 12345678901234567890 is read as
    // 12345678901234567168 and written on as 12345678901234567000, so an id would reach a worker changed.
    if (typeof node === 'number' && Math.abs(node) > Number.MAX_SAFE_INTEGER) {
      problems.push({ path, message: `is a number past ±${Number.MAX_SAFE_INTEGER} (2^53 - 1), which would not arrive exactly as sent: send it as a string` });
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limits.maxDepth) {
      problems.push({ path, message: `nested deeper than ${limits.maxDepth} levels` });
      continue;
    }
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      const keyPath = path ? `${path}.${key}` : key;
      const reason = unstorableReason(key);
      if (reason) problems.push({ path: keyPath, message: `key ${reason}` });
      else stack.push({ node: child, path: keyPath, depth: depth + 1 });
    }
  }
  return problems;
}
