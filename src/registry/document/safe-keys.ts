import type { DocumentIssue, PathSegment } from './document-path';

/** Keys that could reach an object prototype in code that copies or merges the document later. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Far deeper than any registration needs (handler options included), shallow enough for recursion. */
export const MAX_NESTING = 64;

export function forbiddenKeyMessage(key: string): string {
  return `key "${key}" is not allowed`;
}

export function tooDeepMessage(): string {
  return `nested deeper than ${MAX_NESTING} levels`;
}

/**
 * Checks an already-parsed JSON value: forbidden keys anywhere (JSON.parse makes `__proto__` an own
 * property, so `Object.keys` sees it) and nesting depth (which also stops on cyclic objects).
 */
export function findUnsafeKeys(value: unknown): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const walk = (node: unknown, path: PathSegment[]) => {
    if (node === null || typeof node !== 'object') return;
    if (path.length > MAX_NESTING) {
      issues.push({ path, message: tooDeepMessage() });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) issues.push({ path: [...path, key], message: forbiddenKeyMessage(key), at: 'key' });
      else walk((node as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(value, []);
  return issues;
}
