import type { OutboxRecord } from './outbox.service';

/** Wake times are rounded up to this: retries due within a few ms of each other cost the sweep one pass. */
const BUCKET_MS = 5;
/** After the due time: a timer may fire a millisecond early, and a pass that wakes before a row is due leaves it to the poll. */
const MARGIN_MS = 2;
/** Wake times kept at most, the earliest: a burst of retries cannot grow them without bound, and the poll sweeps the rest. */
export const MAX_WAKEUPS = 256;

/**
 * When the outbox sweep should wake for the delayed rows (a retry's backoff) handed to the fast
 * path, which leaves them to the sweep: on the poll alone, a backoff of N s went out after N to
 * N + OUTBOX_POLL_MS / 1000 s. Times are this instance's clock's (ms since the epoch), as the rows'
 * `availableAt`; the database's now() decides whether a row is due, and on one host the two agree.
 * Pure: the relay owns the timer and tells this when it arms it and when it fires.
 */
export class SweepWakeups {
  /** Ascending and distinct. */
  private readonly times: number[] = [];
  /** When the relay's pending timer fires; undefined while a pass runs, and before the relay starts. */
  private armedAt?: number;

  constructor(private readonly pollMs: number) {}

  /** The relay armed its timer to fire at `at`. */
  armed(at: number): void {
    this.armedAt = at;
  }

  /** The timer fired and a pass starts at `now`: it claims every row due by then, so their times are done with. */
  passStarts(now: number): void {
    this.armedAt = undefined;
    const passed = this.times.findIndex((t) => t > now);
    this.times.splice(0, passed === -1 ? this.times.length : passed);
  }

  /**
   * Notes the due times of the delayed rows among `records` (those handed to the fast path).
   * Answers the delay to re-arm the pending timer with when it would fire after the earliest wake
   * time; otherwise undefined: it fires in time, or a pass runs and delay() gives the one after it.
   */
  add(records: Array<Pick<OutboxRecord, 'delayed' | 'availableAt'>>, now: number): number | undefined {
    for (const r of records) {
      if (r.delayed && r.availableAt) this.insert(Math.ceil((r.availableAt.getTime() + MARGIN_MS) / BUCKET_MS) * BUCKET_MS);
    }
    if (this.armedAt === undefined || this.times.length === 0 || this.times[0] >= this.armedAt) return undefined;
    return this.delay(now);
  }

  /** How long after `now` the next pass should start: at the poll, or at the earliest wake time if that comes first. */
  delay(now: number): number {
    if (this.times.length === 0) return this.pollMs;
    return Math.max(0, Math.min(this.pollMs, this.times[0] - now));
  }

  private insert(time: number): void {
    const at = this.times.findIndex((t) => t >= time);
    if (this.times[at] === time) return;
    if (at === -1) {
      if (this.times.length < MAX_WAKEUPS) this.times.push(time);
      return;
    }
    this.times.splice(at, 0, time);
    if (this.times.length > MAX_WAKEUPS) this.times.pop();
  }
}
