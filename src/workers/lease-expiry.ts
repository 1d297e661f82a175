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
  if (attempt.heartbeatAgeMs !== null && attempt.heartbeatAgeMs < leaseAgeMs) return 'renew';
  return 'offer-again';
}

/** What becomes of a command whose lease ran out; a lease renewed ends shortly after `untilDeadlineMs`, when given and sooner. */
export interface LeaseExpiry {
  action: LeaseExpiryAction;
  untilDeadlineMs?: number;
}
