/** How launches are retried: exponential backoff with a cap, a bounded number of attempts. */
export interface LaunchRetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
}

export const DEFAULT_LAUNCH_RETRY: LaunchRetryPolicy = {
  maxAttempts: 5, initialDelayMs: 5000, multiplier: 2, maxDelayMs: 120_000,
};

/** Delay before the next attempt, after `failedAttempts` (>= 1) attempts failed: 5 s, 10 s, 20 s, 40 s, 80 s, 120 s, 120 s... */
export function launchBackoffMs(failedAttempts: number, policy: LaunchRetryPolicy = DEFAULT_LAUNCH_RETRY): number {
  const n = Math.max(1, Math.floor(failedAttempts));
  const delay = policy.initialDelayMs * Math.pow(policy.multiplier, n - 1);
  return Math.min(policy.maxDelayMs, Math.round(delay));
}

/** Whether another attempt is allowed after `attemptsMade` attempts, the last of which failed retriably. */
export function mayRetryLaunch(attemptsMade: number, policy: LaunchRetryPolicy = DEFAULT_LAUNCH_RETRY): boolean {
  return attemptsMade < policy.maxAttempts;
}

/**
 * The wait before a launch is retried, after `failedAttempts`: the backoff, or longer when the target
 * asked (Retry-After, up to the policy's cap), or when the call must not come sooner: `minDelayMs`
 * of the error (a 409 "in progress": the first call may run a whole timeout) and of the caller (the
 * time a target may take to list a job the failed attempt started), neither of them capped.
 */
export function launchRetryDelayMs(failedAttempts: number, policy: LaunchRetryPolicy,
  error: { retryAfterMs?: number; minDelayMs?: number }, minDelayMs = 0): number {
  return Math.max(launchBackoffMs(failedAttempts, policy), Math.min(error.retryAfterMs ?? 0, policy.maxDelayMs), error.minDelayMs ?? 0, minDelayMs);
}

/**
 * The wait before a job's status is read again after a failed poll: the poll interval, or the
 * Retry-After a rate-limited target asked for, up to `maxMs`. Polled sooner, a 429 again, and each
 * try counts towards the poll limit whose end cancels the job.
 */
export function pollRetryDelayMs(intervalMs: number, retryAfterMs: number | undefined, maxMs: number): number {
  return Math.max(intervalMs, Math.min(retryAfterMs ?? 0, maxMs));
}
