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

/** What kind of failure an error is (a streak logs each kind once), and how loudly to say so. */
export interface FailureKind {
  kind: string;
  level: 'warn' | 'error';
}

/**
 * A call to Baton: a refusal only an operator can cure (a key, a configuration: a 4xx other than
 * 408 and 429, an answer the SDK cannot take) is an error; an outage or a 429 a warning.
 */
export function batonFailure(error: unknown): FailureKind {
  const kind = !refused(error) ? 'unavailable' : error instanceof BatonHttpError ? String(error.status) : 'answer';
  return { kind, level: kind === 'unavailable' || kind === '429' ? 'warn' : 'error' };
}

/**
 * Logs a run of failed calls once per kind of failure (an outage, each status Baton refuses with),
 * not once per attempt, and once more when a call succeeds again.
 */
export class FailureStreak {
  private kind?: string;

  constructor(
    private readonly logger: WorkerLogger,
    private readonly fields: Record<string, unknown>,
    private readonly failedText: string,
    private readonly recoveredText: string,
    private readonly classify: (error: unknown) => FailureKind = batonFailure,
  ) {}

  /** `fields` add to the streak's own, for the line that starts a kind of failure. */
  failed(error: unknown, fields: Record<string, unknown> = {}): void {
    const { kind, level } = this.classify(error);
    if (kind === this.kind) return;
    this.kind = kind;
    this.logger[level]({ ...this.fields, ...fields }, `${this.failedText}: ${errorText(error)}`);
  }

  succeeded(): void {
    if (this.kind === undefined) return;
    this.kind = undefined;
    this.logger.info(this.fields, this.recoveredText);
  }
}
