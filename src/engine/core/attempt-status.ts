import type { StepRunStatus } from './run-status';

/** How a step result ends its attempt: a failure marked non-retryable is final whatever the retry policy. */
export function attemptStatusOf(result: { status: 'SUCCESS' | 'FAILED'; nonRetryable?: boolean }): Exclude<StepRunStatus, 'DISPATCHED' | 'TIMED_OUT'> {
  if (result.status === 'SUCCESS') return 'SUCCEEDED';
  return result.nonRetryable ? 'FAILED_FINAL' : 'FAILED';
}
