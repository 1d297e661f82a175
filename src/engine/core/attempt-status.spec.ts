import { attemptStatusOf } from './attempt-status';
import { outcomeOf } from './step-outcome';

describe('attemptStatusOf', () => {
  const retrying = { name: 's', seq: 1, undoable: true, retry: { maxAttempts: 3, backoff: 'fixed' as const, initialDelaySeconds: 1, maxDelaySeconds: 1 } };

  it('ends a success as SUCCEEDED and an ordinary failure as FAILED, which the retry policy retries', () => {
    expect(attemptStatusOf({ status: 'SUCCESS' })).toBe('SUCCEEDED');
    const status = attemptStatusOf({ status: 'FAILED' });
    expect(status).toBe('FAILED');
    expect(outcomeOf(retrying, { stepName: 's', action: 'DO', attempt: 1, status })).toBe('retry');
  });

  it('ends a non-retryable failure as FAILED_FINAL, which fails the step though attempts remain', () => {
    const status = attemptStatusOf({ status: 'FAILED', nonRetryable: true });
    expect(status).toBe('FAILED_FINAL');
    expect(outcomeOf(retrying, { stepName: 's', action: 'DO', attempt: 1, status })).toBe('failed');
  });

  it('ignores nonRetryable on a success', () => {
    expect(attemptStatusOf({ status: 'SUCCESS', nonRetryable: true })).toBe('SUCCEEDED');
  });
});
