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
