import type { RetryPolicy } from './plan';

/** Attempts a timed-out step gets when it declares no retry policy: a lost message deserves another try. */
export const DEFAULT_TIMEOUT_ATTEMPTS = 3;
const DEFAULT_TIMEOUT_BACKOFF: RetryPolicy = {
  maxAttempts: DEFAULT_TIMEOUT_ATTEMPTS, backoff: 'exponential', initialDelaySeconds: 1, maxDelaySeconds: 30,
};

/**
 * How many attempts an action gets. A failure reported by a worker is final unless the step
 * declares a retry policy; a timeout is retried by default, since the command or its reply may
 * simply have been lost.
 */
export function maxAttempts(retry: RetryPolicy | null, endedBy: 'FAILED' | 'TIMED_OUT'): number {
  if (retry) return retry.maxAttempts;
  return endedBy === 'TIMED_OUT' ? DEFAULT_TIMEOUT_ATTEMPTS : 1;
}

/** Delay before attempt `nextAttempt` (2, 3, ...): fixed, or doubling from the initial delay up to the cap. */
export function retryDelayMs(retry: RetryPolicy | null, nextAttempt: number): number {
  const policy = retry ?? DEFAULT_TIMEOUT_BACKOFF;
  const initial = policy.initialDelaySeconds * 1000;
  if (policy.backoff === 'fixed') return initial;
  const exponent = Math.max(0, nextAttempt - 2);
  return Math.min(initial * 2 ** exponent, policy.maxDelaySeconds * 1000);
}
