import type { z } from 'zod';
import type { DocumentIssue, PathSegment } from './document-path';

type Issue = z.core.$ZodIssue;

/**
 * Default messages for issues the schemas do not word themselves: short, in the document's terms
 * (map, list), and saying what was found. Passed per parse, so no global zod configuration changes.
 */
export const documentErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'is required' : `expected ${article(iss.expected)}, found ${describe(iss.input)}`;
    case 'too_small':
      return `must be ${iss.inclusive === false ? 'more than' : 'at least'} ${String(iss.minimum)}${unit(iss.origin)}`;
    case 'too_big':
      return `must be ${iss.inclusive === false ? 'less than' : 'at most'} ${String(iss.maximum)}${unit(iss.origin)}`;
    case 'invalid_value':
      return `must be ${iss.values.length === 1 ? String(iss.values[0]) : `one of: ${iss.values.join(', ')}`}`;
    case 'unrecognized_keys':
      return 'unknown field';
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return undefined;
  }
};

/**
 * Zod issues → document issues: one per unknown key (located at the key), and a union's reasons
 * flattened when exactly one alternative was close (e.g. `undo: {type: awx}` missing its template id).
 */
export function toDocumentIssues(issues: readonly Issue[], base: readonly PathSegment[] = []): DocumentIssue[] {
  const out: DocumentIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.map(segment)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: issue.message, at: 'key' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const close = issue.errors.filter((branch) => !isWrongKind(branch));
      if (close.length === 1) out.push(...toDocumentIssues(close[0], path));
      else out.push({ path, message: issue.message });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** A union branch that failed only because the value is of another kind altogether. */
function isWrongKind(branch: readonly Issue[]): boolean {
  return branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0;
}

function segment(key: PropertyKey): PathSegment {
  return typeof key === 'number' ? key : String(key);
}

function article(expected: string): string {
  const names: Record<string, string> = {
    int: 'an integer',
    object: 'a map',
    record: 'a map',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[expected] ?? expected;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return `a string ${JSON.stringify(input.length > 40 ? `${input.slice(0, 37)}...` : input)}`;
  if (typeof input === 'number') return Number.isFinite(input) ? `the number ${input}` : String(input);
  return `a ${typeof input}`;
}

function unit(origin: string): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array') return ' items';
  return '';
}
