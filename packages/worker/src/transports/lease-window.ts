import { performance } from 'node:perf_hooks';

/** No heartbeat retry starts later than this before the lease expires: past it, another poller may get the command. */
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

  private constructor(private readonly leaseMs: number | undefined, private readonly answeredAt: number | undefined, private readonly receivedAt: number) {
    if (leaseMs !== undefined) this.endsAt = receivedAt + leaseMs;
  }

  /** The window of a lease expiring at `leaseExpiresAt`, in an answer Baton gave at `answeredAt` and this process received at `receivedAt`. */
  static of(leaseExpiresAt: unknown, answeredAt: number | undefined, receivedAt = performance.now()): LeaseWindow {
    const ms = typeof leaseExpiresAt === 'string' && answeredAt !== undefined ? Date.parse(leaseExpiresAt) - answeredAt : Number.NaN;
    return new LeaseWindow(ms > 0 ? ms : undefined, answeredAt, receivedAt);
  }

  /** A heartbeat Baton confirmed renews the lease for its length from when Baton took it, which is after `sentAt`. */
  renewed(sentAt: number): void {
    if (this.leaseMs !== undefined) this.endsAt = sentAt + this.leaseMs;
  }

  /** For how long, from now, a heartbeat on the lease may be retried. */
  retryForMs(now = performance.now()): number {
    return this.endsAt === undefined ? UNKNOWN_LEASE_RETRY_MS : Math.max(0, this.endsAt - MARGIN_MS - now);
  }

  /**
   * For how long, from now, a reply or a drop may be retried: while the lease lasts, or until the
   * command's `deadline` by Baton's clock if that is later. A Baton that stops acknowledges the
   * commands it leased, and nobody runs one again before its attempt times out at that deadline:
   * a result given up with the lease would run the step again, or fail it.
   */
  finalRetryForMs(deadline: string, now = performance.now()): number {
    const untilDeadline = this.answeredAt === undefined ? Number.NaN : Date.parse(deadline) - this.answeredAt - (now - this.receivedAt);
    return Math.max(this.retryForMs(now), Number.isFinite(untilDeadline) ? untilDeadline : 0);
  }
}
