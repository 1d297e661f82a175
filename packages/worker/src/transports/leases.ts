import { BatonAnswerError } from '../baton-client';

/** A lease as Baton's poll answers it, once its leaseId is known to be one. */
export interface Lease {
  leaseId: string;
  /** Baton's time (its own clock) when the lease expires. */
  leaseExpiresAt?: unknown;
  command: unknown;
  /** The command's trace headers, when Baton traces. */
  trace?: unknown;
}

/**
 * The leases of a poll answer. Anything but a list is refused whole: Baton never answers so (a
 * proxy's page, a server of another kind). An entry without a string leaseId cannot even be
 * dropped: it is left out (its lease, if any, expires), and `skipped` says how many were. A lease
 * whose command does not parse is the caller's to drop.
 */
export function leasesOf(answer: unknown, skipped: (count: number) => void): Lease[] {
  if (!Array.isArray(answer)) throw new BatonAnswerError(`the poll answered ${JSON.stringify(answer)?.slice(0, 200)}, not a list of leases`);
  const leases = answer.filter((entry: unknown): entry is Lease =>
    typeof entry === 'object' && entry !== null && typeof (entry as { leaseId?: unknown }).leaseId === 'string' && (entry as Lease).leaseId !== '');
  if (leases.length < answer.length) skipped(answer.length - leases.length);
  return leases;
}
