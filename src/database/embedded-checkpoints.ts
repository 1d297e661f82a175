import { Logger } from '@nestjs/common';

/*
 * PGlite runs PostgreSQL as a single-user backend: there is no checkpointer process, so
 * checkpoint_timeout never fires and max_wal_size only acts past 32 MB. After a kill -9 the next
 * start replays every WAL record written since the previous start, on the event loop, before
 * anything answers (a 30 s write load made the reopen 1.9 s and its first query 0.8 s, against
 * 0.5 s and 0.04 s for a clean reopen). A CHECKPOINT costs 15-40 ms here; taking one on a timer
 * bounds what a restart replays.
 */
export class EmbeddedCheckpoints {
  private readonly logger = new Logger(EmbeddedCheckpoints.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly checkpoint: () => Promise<unknown>, private readonly intervalMs: number) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One checkpoint; skipped while the previous one runs. A failure is reported, and the next tick tries again. */
  tick(): Promise<void> {
    this.running ??= this.checkpoint().then(
      () => undefined,
      (e: Error) => this.logger.warn({ err: e.message }, 'embedded database checkpoint failed; retrying at the next interval'),
    ).finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Stops the timer and waits for a checkpoint in progress, so the database closes after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
