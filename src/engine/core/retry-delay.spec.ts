import type { RetryPolicy } from './plan';
import { maxAttempts, retryDelayMs } from './retry-delay';

const exp: RetryPolicy = { maxAttempts: 5, backoff: 'exponential', initialDelaySeconds: 2, maxDelaySeconds: 10 };

describe('retry delay', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    expect([2, 3, 4, 5].map((n) => retryDelayMs(exp, n))).toEqual([2000, 4000, 8000, 10000]);
  });

  it('keeps a fixed delay fixed', () => {
    expect(retryDelayMs({ ...exp, backoff: 'fixed' }, 4)).toBe(2000);
  });

  it('treats a reported failure as final without a policy, but retries a timeout', () => {
    expect(maxAttempts(null, 'FAILED')).toBe(1);
    expect(maxAttempts(null, 'TIMED_OUT')).toBe(3);
    expect(maxAttempts(exp, 'FAILED')).toBe(5);
  });
});
