import type { WorkerLogger } from './logger';

/** How long after a logged drop the next ones are only counted. */
const QUIET_MS = 10_000;
/** How many of the counted drops the summary names by flowId. */
const NAMED = 10;

/**
 * Logs expired commands as they are dropped, without a line each: after an outage a backlog
 * expires all at once (150 lines in 0.3 s). The first drop is logged at once with all its fields;
 * the drops of the next 10 s are counted, and logged as one line naming the first few flowIds.
 */
export class ExpiredDrops {
  private quiet?: NodeJS.Timeout;
  private counted = 0;
  private flowIds: string[] = [];

  constructor(private readonly logger: WorkerLogger) {}

  dropped(fields: Record<string, unknown> & { flowId: string }): void {
    if (!this.quiet) {
      this.logger.warn(fields, 'command expired before it was handled: dropped');
      // Unref'd: a count waiting to be logged must not keep the process alive.
      this.quiet = setTimeout(() => this.flush(), QUIET_MS).unref();
      return;
    }
    this.counted++;
    if (this.flowIds.length < NAMED) this.flowIds.push(fields.flowId);
  }

  /** Logs the drops counted so far, if any; the next drop is logged at once. On stop too, so that none goes unsaid. */
  flush(): void {
    clearTimeout(this.quiet);
    this.quiet = undefined;
    if (this.counted === 0) return;
    this.logger.warn({ dropped: this.counted, flowIds: this.flowIds },
      `${this.counted} more command(s) expired before they were handled: dropped (flowIds: the first ${this.flowIds.length})`);
    this.counted = 0;
    this.flowIds = [];
  }
}
