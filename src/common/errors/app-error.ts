import { ErrorCode } from './error-code';

/** One problem in a document or request, located by path (and by line/column for YAML). */
export interface Problem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** The one error type the application throws on purpose; the global filter maps it to HTTP. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: Problem[] = [],
    readonly details?: Record<string, unknown>,
    /** Top-level fields an older API's clients read from the body (the Orca service's `error`). */
    readonly compat?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * Problems found in one part of a request (its body, its query), named from that part's root:
 * `reason` becomes `body.reason`, so an API user reads where each problem is, as the guards write
 * it (`headers.content-type`). Checks shared with callers that are no HTTP request (`npm run keys`)
 * name bare fields; the route that serves them roots their problems.
 */
export function problemsUnder(root: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ ...p, path: p.path ? `${root}.${p.path}` : root }));
}

/** The same refusal with its problems rooted at `root` (problemsUnder); anything else as it is. */
export function rootedAt(root: string, error: unknown): unknown {
  if (!(error instanceof AppError) || error.problems.length === 0) return error;
  const rooted = new AppError(error.code, error.message, problemsUnder(root, error.problems), error.details, error.compat);
  rooted.stack = error.stack;
  return rooted;
}

/** A refusal as a dead letter's reason: its code and message, then each problem with its path (`CODE: message (path: problem; …)`). */
export function refusalReason(e: AppError): string {
  const problems = e.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return `${e.code}: ${e.message}${problems ? ` (${problems})` : ''}`;
}
