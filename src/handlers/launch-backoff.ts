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
