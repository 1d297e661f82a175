import type { CommandAttempt } from './command-attempts';

export type LeaseExpiryAction = 'acknowledge' | 'renew' | 'offer-again';

/**
 * What becomes of a command whose lease ran out. A worker's reply, heartbeat or drop may have reached
 * another instance, which could only write to or read the database: an attempt that is over (or that
 * no step run knows) needs no worker any more, and neither does one past its deadline, as no poller
 * would run its command (the SDK drops it) and the healer ends the attempt. A heartbeat recorded since
 * the lease (last) started (younger than the lease, each age by one clock) shows its worker is still
 * on it. Otherwise the poller is presumed gone.
 */
export function leaseExpiryAction(
  attempt: Pick<CommandAttempt, 'inFlight' | 'pastDeadline' | 'heartbeatAgeMs'> | undefined, leaseAgeMs: number,
): LeaseExpiryAction {
  if (!attempt?.inFlight || attempt.pastDeadline) return 'acknowledge';
  if (attempt.heartbeatAgeMs !== null && attempt.heartbeatAgeMs < leaseAgeMs - Math.min(SAME_HEARTBEAT_MS, leaseAgeMs / 4)) return 'renew';
  return 'offer-again';
}

/**
 * A heartbeat that reached this instance renewed the lease and was then written: it is as old as
 * the lease, give or take that write. Only one clearly younger came since, through another instance;
 * without the margin, a worker that heartbeated once and died kept its command for a second lease.
 * (A quarter of the lease when that is shorter: leases of milliseconds in tests.)
 */
const SAME_HEARTBEAT_MS = 1_000;
