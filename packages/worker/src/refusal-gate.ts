import { performance } from 'node:perf_hooks';
import { Backoff } from './backoff';
import type { BatonHttpError } from './baton-client';

/**
 * Holds back every request of one client for a while after one of them was refused with a 401 (a
 * wrong or revoked key) or a 429 (Baton's auth-failure limiter). A worker with dozens of commands
 * in flight would otherwise send dozens of refused replies and heartbeats at once, and each 401
 * counts against the limiter, which then blocks the whole address (every worker behind one NAT).
 * Closed for at least the 429's Retry-After, and for 1 to 2 s, doubling up to a minute while
 * refusals go on; a request that succeeds resets the doubling. A request held back with no time to
 * wait fails at once with the refusal's status (HeldBackError): a poll or a presence beat then
 * backs off as from the refusal itself (their own `refusal` backoffs), for at least the hold.
 */
export class RefusalGate {
  private openAt = 0;
  private refusedAt = 0;
  private last?: BatonHttpError;
  private readonly backoff = new Backoff(2_000, 60_000);

  refused(refusal: BatonHttpError, retryAfterMs: number): void {
    const now = performance.now();
    // Refusals of requests that were already out when the gate closed do not double it again.
    if (now >= this.openAt) this.openAt = now + this.backoff.next();
    this.openAt = Math.max(this.openAt, now + retryAfterMs);
    this.refusedAt = now;
    this.last = refusal;
  }

  /** The last refusal: what a request held back says it was held back for. */
  get refusal(): BatonHttpError | undefined {
    return this.last;
  }

  passed(): void {
    this.backoff.reset();
  }

  /** How long requests are still held back: 0 when they may go. */
  heldForMs(): number {
    return Math.max(0, this.openAt - performance.now());
  }

  /** How long ago the last refusal came. */
  sinceRefusalMs(): number {
    return performance.now() - this.refusedAt;
  }
}
