import { BatonAnswerError, BatonHttpError } from './baton-client';
import { errorText, type WorkerLogger } from './logger';

/**
 * Whether Baton refused the caller rather than failed to answer it: a 4xx other than 408, or an
 * answer the SDK cannot take. Trying again soon cannot help, and a 401 or 403 (a wrong or revoked
 * key) counts against Baton's auth-failure limiter, which then blocks the whole address (every
 * worker behind the same NAT, valid keys too, with 429s): callers wait longer after one.
 */
export function refused(error: unknown): boolean {
  return error instanceof BatonAnswerError || (error instanceof BatonHttpError && error.status >= 400 && error.status < 500 && error.status !== 408);
}

/**
 * Logs a run of failed calls once per kind of failure (an outage, each status Baton refuses with),
 * not once per attempt, and once more when a call succeeds again. A refusal only an operator can
 * cure (a key, a configuration: a 4xx other than 408 and 429, an answer the SDK cannot take) is an
 * error; an outage or a 429 a warning.
 */
export class FailureStreak {
  private kind?: string;

  constructor(
    private readonly logger: WorkerLogger,
    private readonly fields: Record<string, unknown>,
    private readonly failedText: string,
    private readonly recoveredText: string,
  ) {}

  failed(error: unknown): void {
    const kind = !refused(error) ? 'unavailable' : error instanceof BatonHttpError ? String(error.status) : 'answer';
    if (kind === this.kind) return;
    this.kind = kind;
    const level = kind === 'unavailable' || kind === '429' ? 'warn' : 'error';
    this.logger[level](this.fields, `${this.failedText}: ${errorText(error)}`);
  }

  succeeded(): void {
    if (this.kind === undefined) return;
    this.kind = undefined;
    this.logger.info(this.fields, this.recoveredText);
  }
}
