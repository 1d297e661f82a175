/**
 * Baton's clock as the browser can know it: the console's relative times (how long a run has
 * taken so far, the timeline's "now", a key's expiry) set server instants against "now", and a
 * browser whose clock is minutes off showed negative ages. The offset is estimated from the
 * `Date` header of Baton's answers: whole seconds, so only a skew past SKEW_MS is corrected, and
 * from the median of the recent samples, so that one odd answer (a cache's, a slow one) moves
 * nothing.
 */

/** A skew the header's whole seconds (and a round trip) cannot tell from none: left uncorrected. */
export const SKEW_MS = 2000;
/** Samples kept, and the fewest the offset is taken from. */
const KEPT = 15;
const FEWEST = 3;
/** An answer slower than this says too little of when Baton wrote its header. */
const SLOWEST_MS = 3000;

export class ServerClock {
  private readonly samples: number[] = [];
  private current = 0;

  // Date.now read at each call, not kept: a clock installed later (a test's) is the one read.
  constructor(private readonly local: () => number = () => Date.now()) {}

  /**
   * One answer: its `Date` header, and the browser's clock when the request left and the answer
   * came. Baton wrote the header between the two, within the second it names: the midpoints of
   * both are set against each other.
   */
  observe(dateHeader: string | null, sentAt: number, receivedAt: number): void {
    const said = dateHeader === null ? NaN : Date.parse(dateHeader);
    if (!Number.isFinite(said) || receivedAt < sentAt || receivedAt - sentAt > SLOWEST_MS) return;
    this.samples.push(said + 500 - (sentAt + receivedAt) / 2);
    if (this.samples.length > KEPT) this.samples.shift();
    if (this.samples.length < FEWEST) return;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    // Taken past SKEW_MS, and left only under half of it: the samples' ±0.5 s of whole seconds
    // would otherwise switch a skew near SKEW_MS on and off, moving every "so far" by 2 s each time.
    const corrected = Math.abs(median) > (this.current === 0 ? SKEW_MS : SKEW_MS / 2);
    this.current = corrected ? Math.round(median) : 0;
  }

  /** How far Baton's clock is ahead of the browser's (ms, negative when behind); 0 within SKEW_MS. */
  offset(): number {
    return this.current;
  }

  /** Now, by Baton's clock as far as it is known. */
  now(): number {
    return this.local() + this.offset();
  }
}

/** The console's one clock, fed by every answer the API client gets. */
export const serverClock = new ServerClock();
export const serverNow = (): number => serverClock.now();
