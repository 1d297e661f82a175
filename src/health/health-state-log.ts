import { HttpException, Logger, LoggerService } from '@nestjs/common';

/**
 * The health check's log: one line when it turns down (naming what is down) and one when it is up
 * again, not a line per probe: load balancers probe every few seconds, each through the error
 * filter, which logs those answers at debug only. Draining is said once by GracefulStop.
 */
export class HealthStateLog {
  private down?: string;

  constructor(private readonly logger: LoggerService = new Logger('Health')) {}

  /** After a check that passed. */
  up(): void {
    if (this.down === undefined) return;
    this.logger.log(`health check passes again (was down: ${this.down})`);
    this.down = undefined;
  }

  /** After a check that failed: terminus's 503 names the indicators that are down; `degraded`, Baton answers 200 all the same. */
  failed(error: unknown, degraded = false): void {
    const what = downIndicators(error);
    if (what === this.down) return;
    this.down = what;
    this.logger.warn(degraded ? `health check degraded (still ready): ${what} down` : `health check answers 503: ${what} down`);
  }
}

function downIndicators(error: unknown): string {
  if (!(error instanceof HttpException)) return 'the check itself failed';
  const failed = (error.getResponse() as { error?: unknown })?.error;
  const names = failed && typeof failed === 'object' ? Object.keys(failed) : [];
  return names.length ? names.sort().join(', ') : 'a dependency';
}
