import { DOCUMENT_PATH, positionAt, toProblem, type ParseOutcome } from './document-path';
import { findJsonSyntaxError } from './json-syntax-error';
import { findUnsafeKeys } from './safe-keys';

/** JSON text → plain JS value; a syntax error carries its line and column. */
export function parseJson(text: string): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const found = findJsonSyntaxError(text);
    if (!found) return { ok: false, problems: [{ path: DOCUMENT_PATH, message: `invalid JSON: ${(e as Error).message}` }] };
    const { line, column } = positionAt(text, found.offset);
    return { ok: false, problems: [{ path: DOCUMENT_PATH, message: `invalid JSON: ${found.message}`, line, column }] };
  }
  return checkJsonValue(value);
}

/** A value JSON.parse produced (here or in the HTTP layer): refuse prototype keys and deep nesting. */
export function checkJsonValue(value: unknown): ParseOutcome {
  const issues = findUnsafeKeys(value);
  if (issues.length > 0) return { ok: false, problems: issues.map((i) => toProblem(i)) };
  return { ok: true, value };
}
