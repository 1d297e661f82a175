import type { CommandAttempt } from './command-attempts';

export type LeaseExpiryAction = 'acknowledge' | 'renew' | 'offer-again';

/**
 * What becomes of a command whose lease ran out. A worker's reply or heartbeat may have reached
 * another instance, which could only write it to the database: an attempt that is over (or that
 * no step run knows) needs no worker any more, and a heartbeat recorded since the lease (last)
 * started shows its worker is still on it. Otherwise the poller is presumed gone.
 */
export function leaseExpiryAction(attempt: Pick<CommandAttempt, 'inFlight' | 'lastHeartbeatAt'> | undefined, leaseStartedAt: Date): LeaseExpiryAction {
  if (!attempt?.inFlight) return 'acknowledge';
  if (attempt.lastHeartbeatAt && attempt.lastHeartbeatAt > leaseStartedAt) return 'renew';
  return 'offer-again';
}
