import type { Problem } from '../../common/errors/app-error';
import { DOCUMENT_PATH, positionAt, toProblem, type ParseOutcome } from './document-path';
import { findJsonTextError } from './json-text-error';
import { findUnsafeKeys } from './safe-keys';

/** JSON text → plain JS value; a syntax error or a duplicate key carries its line and column. */
export function parseJson(text: string): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [textProblem(text) ?? { path: DOCUMENT_PATH, message: `invalid JSON: ${(e as Error).message}` }] };
  }
  const checked = checkJsonValue(value);
  if (!checked.ok) return checked;
  // Only on a text JSON.parse took and nested within bounds: a duplicate key is all it can find.
  const duplicate = textProblem(text);
  return duplicate ? { ok: false, problems: [duplicate] } : checked;
}

function textProblem(text: string): Problem | undefined {
  const found = findJsonTextError(text);
  return found && { path: DOCUMENT_PATH, message: `invalid JSON: ${found.message}`, ...positionAt(text, found.offset) };
}

/** A value JSON.parse produced (here or in the HTTP layer): refuse prototype keys and deep nesting. */
export function checkJsonValue(value: unknown): ParseOutcome {
  const issues = findUnsafeKeys(value);
  if (issues.length > 0) return { ok: false, problems: issues.map((i) => toProblem(i)) };
  return { ok: true, value };
}
