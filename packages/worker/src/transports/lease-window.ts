import { performance } from 'node:perf_hooks';

/** No retry starts later than this before the lease expires: past it, another poller may get the command. */
const MARGIN_MS = 2000;
/** How long calls on a lease are retried when its length is unknown (an answer without a Date header). */
const UNKNOWN_LEASE_RETRY_MS = 30_000;

/**
 * How long a reply, heartbeat or drop on one lease may still be retried. Baton states the expiry by
 * its own clock: the lease's length is read against Baton's clock when it answered (its Date
 * header, to the second: the margin covers it), and the time left from then on by this process's
 * monotonic clock, so that a worker clock that disagrees with Baton's, or jumps, does not matter.
 */
export class LeaseWindow {
  private endsAt?: number;

  private constructor(private readonly leaseMs: number | undefined, receivedAt: number) {
    if (leaseMs !== undefined) this.endsAt = receivedAt + leaseMs;
  }

  /** The window of a lease expiring at `leaseExpiresAt`, in an answer Baton gave at `answeredAt` and this process received at `receivedAt`. */
  static of(leaseExpiresAt: unknown, answeredAt: number | undefined, receivedAt = performance.now()): LeaseWindow {
    const ms = typeof leaseExpiresAt === 'string' && answeredAt !== undefined ? Date.parse(leaseExpiresAt) - answeredAt : Number.NaN;
    return new LeaseWindow(ms > 0 ? ms : undefined, receivedAt);
  }

  /** A heartbeat Baton confirmed renews the lease for its length from when Baton took it, which is after `sentAt`. */
  renewed(sentAt: number): void {
    if (this.leaseMs !== undefined) this.endsAt = sentAt + this.leaseMs;
  }

  /** For how long, from now, a call on the lease may be retried. */
  retryForMs(now = performance.now()): number {
    return this.endsAt === undefined ? UNKNOWN_LEASE_RETRY_MS : Math.max(0, this.endsAt - MARGIN_MS - now);
  }
}
