import { withoutKeySecrets } from '../auth/api-keys/api-key-format';
import type { Problem } from '../common/errors/app-error';
import { fitText } from '../common/validation/fit-text';
import { DOCUMENT_PATH } from './document/document-path';
import { withoutCredentials } from './refused-document';

/** A path longer than this names a key no registration has; its start is enough to find it. */
export const MAX_AUDIT_PATH = 200;
/** Reasons and problem messages are prose; no client needs more of them than this. */
export const MAX_AUDIT_MESSAGE = 2000;
/**
 * The problems kept per audit row, as JSON. Kept per problem only, 3.7 KB of YAML with long nested
 * keys stored 209 KB: each of 100 paths repeated its parents' keys.
 */
export const MAX_AUDIT_PROBLEMS_BYTES = 16 * 1024;
const MAX_AUDIT_PROBLEMS = 100;

/**
 * The problems of a rejected registration as the audit keeps them: each cut to fit and cleaned of
 * API keys and of the document's `credentials`, the first ones only, as many as fit
 * MAX_AUDIT_PROBLEMS_BYTES, and a last one counting those left out. The caller still answers with
 * every problem.
 */
export function auditedProblems(problems: Problem[] | undefined, credentials?: readonly string[]): Problem[] | null {
  if (!problems?.length) return null;
  const kept: Problem[] = [];
  let bytes = 2;
  for (const problem of problems.slice(0, MAX_AUDIT_PROBLEMS)) {
    const fitted = { ...problem, path: fitText(withoutKeySecrets(problem.path), MAX_AUDIT_PATH),
      message: fitText(withoutKeySecrets(withoutCredentials(problem.message, credentials)), MAX_AUDIT_MESSAGE) };
    bytes += Buffer.byteLength(JSON.stringify(fitted), 'utf8') + 1;
    if (bytes > MAX_AUDIT_PROBLEMS_BYTES) break;
    kept.push(fitted);
  }
  const rest = problems.length - kept.length;
  return rest === 0 ? kept : [...kept, { path: DOCUMENT_PATH, message: `${rest} more problem${rest === 1 ? '' : 's'} not kept` }];
}
