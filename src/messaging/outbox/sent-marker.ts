import type { Logger } from '@nestjs/common';
import { OutageLog } from '../../common/logging/outage-log';

/**
 * Ids are flushed this long after the first one arrives, or at once when this many pile up. Each
 * flush is a durable commit competing with the engine's own, so fewer is faster; the delay must
 * stay well under the sweep's grace period (2 s), after which an unmarked row is published again.
 */
export const FLUSH_DELAY_MS = 100;
const FLUSH_AT_IDS = 500;
const RETRY_DELAY_MS = 1000;

/**
 * Coalesces "mark sent" for the fast path: one UPDATE per 100 ms (or 500 ids) instead of one per
 * message. Losing the pending ids in a crash only means the sweep publishes those rows again
 * after the grace period; consumers deduplicate by message id.
 */
export class SentMarker {
  private ids: string[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private stopped = false;
  private readonly outage: OutageLog;

  constructor(private readonly markSent: (ids: string[]) => Promise<void>, logger: Logger) {
    this.outage = new OutageLog(logger, 'Marking published outbox rows sent');
  }

  /** Ignored once stopped: the database closes after, and those rows are published again instead. */
  add(ids: string[]): void {
    if (this.stopped) return;
    this.ids.push(...ids);
    if (this.ids.length >= FLUSH_AT_IDS) this.schedule(0);
    else this.schedule(FLUSH_DELAY_MS);
  }

  /** Takes ids again after stop(): the relay started anew. */
  open(): void {
    this.stopped = false;
  }

  /** Flushes what is pending; on shutdown, so the next start does not republish them. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    if (this.ids.length > 0) await this.flush();
    clearTimeout(this.timer); // a failed final flush scheduled a retry; the sweep covers it
    this.timer = undefined;
  }

  /**
   * Marks what is pending now, before a sweep of this instance: rows published but not yet marked
   * would look unsent to it. Rejects with the database's error if they could not be marked (they
   * are retried as usual).
   */
  async flushNow(): Promise<void> {
    await this.flushing;
    if (this.ids.length === 0) return;
    clearTimeout(this.timer);
    const { failed } = await this.flush();
    if (failed) throw failed;
  }

  private schedule(delayMs: number): void {
    if (this.flushing || (this.timer && delayMs > 0)) return; // the running flush reschedules
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  /** Resolves to what the ids could not be marked for, if they could not (they are retried). */
  private flush(): Promise<{ failed?: unknown }> {
    this.timer = undefined;
    if (this.ids.length === 0) return Promise.resolve({});
    const ids = this.ids;
    this.ids = [];
    const flushed = this.markSent(ids)
      .then(() => {
        this.flushing = undefined;
        this.outage.succeeded();
        if (this.ids.length > 0) this.schedule(this.ids.length >= FLUSH_AT_IDS ? 0 : FLUSH_DELAY_MS);
        return {};
      }, (error: unknown) => {
        this.outage.failed(error);
        this.ids = [...ids, ...this.ids];
        this.flushing = undefined;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.flush(), RETRY_DELAY_MS);
        return { failed: error };
      });
    this.flushing = flushed.then(() => undefined);
    return flushed;
  }
}
