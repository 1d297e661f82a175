import type { Problem } from '../../common/errors/app-error';

/** One step into a parsed document: a map key or a list index. */
export type PathSegment = string | number;

/** Where a problem sits in the source text (both 1-based). */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Finds the source position of the node at `path`. `at: 'key'` asks for the key itself (unknown or
 * duplicate keys); otherwise the value. A path that does not exist resolves to its deepest existing
 * ancestor, so a missing field points at the map that should hold it. JSON input has no positions.
 */
export type Locate = (path: readonly PathSegment[], at?: 'key' | 'value') => SourcePosition | undefined;

/** A problem found before positions are attached: the locator turns it into a `Problem`. */
export interface DocumentIssue {
  path: PathSegment[];
  message: string;
  at?: 'key' | 'value';
}

export const DOCUMENT_PATH = '(document)';

/** What a parser hands on: a plain JS value and a way back to the source, or what stopped it. */
export type ParseOutcome = { ok: true; value: unknown; locate?: Locate } | { ok: false; problems: Problem[] };

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `['steps', 1, 'seq']` → `steps[1].seq`; the empty path is the document itself. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return DOCUMENT_PATH;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function toProblem(issue: DocumentIssue, locate?: Locate): Problem {
  const position = locate?.(issue.path, issue.at);
  const problem: Problem = { path: formatPath(issue.path), message: issue.message };
  if (position) {
    problem.line = position.line;
    problem.column = position.column;
  }
  return problem;
}

/** 1-based line and column of a UTF-16 offset; `\r\n` and `\n` end lines. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Problems read best in source order; those without a position keep their order at the end. */
export function sortProblems(problems: Problem[]): Problem[] {
  const far = Number.MAX_SAFE_INTEGER;
  return [...problems].sort((a, b) => (a.line ?? far) - (b.line ?? far) || (a.column ?? 0) - (b.column ?? 0));
}

/** Enough to fix a document by; a generated document with thousands of errors gets a summary line. */
export const MAX_PROBLEMS = 200;

export function limitProblems(problems: Problem[], max = MAX_PROBLEMS): Problem[] {
  if (problems.length <= max) return problems;
  const rest = problems.length - max;
  return [...problems.slice(0, max), { path: DOCUMENT_PATH, message: `${rest} more problem${rest === 1 ? '' : 's'} not listed` }];
}
