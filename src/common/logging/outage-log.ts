import type { LoggerService } from '@nestjs/common';
import { errorMessage } from '../errors/error-message';
import { isInfrastructureError } from '../errors/infrastructure-error';

/** While an outage lasts, how often a loop says it still fails: enough to show it is not over, not a line per pass. */
const OUTAGE_REMINDER_MS = 60_000;

/**
 * The log of a background loop (the outbox relay, the healer, the job runner…) that a database or
 * broker outage makes fail on every pass. An outage is one warning when it starts, a reminder a
 * minute while it lasts, and one line when the loop works again, with how long it failed: a 20 s
 * outage wrote a line per pass per loop, an error with its stack for some, and alerts fired on
 * each. A failure that is not an outage (a defect) is an error with its stack every time.
 */
export class OutageLog {
  private since?: number;
  private failures = 0;
  private remindedAt = 0;

  /** `what` names the work in a sentence: "the outbox pass", "a healer tick". */
  constructor(private readonly logger: LoggerService, private readonly what: string, private readonly now = () => Date.now()) {}

  failed(error: unknown): void {
    if (!isInfrastructureError(error)) {
      this.logger.error({ err: error }, `${this.what} failed`);
      return;
    }
    this.unavailable(error);
  }

  /**
   * A failure known to be an outage, whatever the error says: for a dependency that is not the
   * database or the broker (a trace collector's 401 is no defect of Baton's either).
   */
  unavailable(error: unknown): void {
    const now = this.now();
    this.failures++;
    if (this.since === undefined) {
      this.since = now;
      this.remindedAt = now;
      this.logger.warn(`${this.what} failed: ${errorMessage(error)}; retrying until the dependency is back`);
    } else if (now - this.remindedAt >= OUTAGE_REMINDER_MS) {
      this.remindedAt = now;
      this.logger.warn(`${this.what} still fails after ${seconds(now - this.since)} (${tries(this.failures)}): ${errorMessage(error)}`);
    }
  }

  succeeded(): void {
    if (this.since === undefined) return;
    this.logger.log(`${this.what} works again after ${seconds(this.now() - this.since)} (${tries(this.failures)} failed)`);
    this.since = undefined;
    this.failures = 0;
  }
}

function tries(n: number): string {
  return n === 1 ? '1 try' : `${n} tries`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
