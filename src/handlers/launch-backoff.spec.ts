import { DEFAULT_LAUNCH_RETRY, launchBackoffMs, launchRetryDelayMs, mayRetryLaunch, pollRetryDelayMs } from './launch-backoff';

describe('launchBackoffMs', () => {
  it('doubles from 5 s and caps at 120 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => launchBackoffMs(n))).toEqual(
      [5000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000]);
  });

  it('follows a configured policy', () => {
    const policy = { maxAttempts: 3, initialDelayMs: 10, multiplier: 3, maxDelayMs: 50 };
    expect([1, 2, 3].map((n) => launchBackoffMs(n, policy))).toEqual([10, 30, 50]);
  });

  it('treats nonsense attempt counts as the first', () => {
    expect(launchBackoffMs(0)).toBe(5000);
    expect(launchBackoffMs(-3)).toBe(5000);
  });

  it('never overflows to Infinity for huge attempt counts', () => {
    expect(launchBackoffMs(10_000)).toBe(120_000);
  });
});

describe('mayRetryLaunch', () => {
  it('allows 5 attempts by default', () => {
    expect(DEFAULT_LAUNCH_RETRY.maxAttempts).toBe(5);
    expect([1, 2, 3, 4, 5].map((n) => mayRetryLaunch(n))).toEqual([true, true, true, true, false]);
  });

  it('with one attempt never retries', () => {
    expect(mayRetryLaunch(1, { ...DEFAULT_LAUNCH_RETRY, maxAttempts: 1 })).toBe(false);
  });
});

describe('launchRetryDelayMs', () => {
  const policy = { maxAttempts: 4, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 5000 };

  it('waits the backoff, or what Retry-After asked up to the cap', () => {
    expect(launchRetryDelayMs(2, policy, {})).toBe(2000);
    expect(launchRetryDelayMs(1, policy, { retryAfterMs: 3000 })).toBe(3000);
    expect(launchRetryDelayMs(1, policy, { retryAfterMs: 60_000 })).toBe(5000);
  });

  /** A 409 "in progress" floor of 30 s was capped at 5 s: the attempts went on 409s while the first call still ran. */
  it('never waits less than a minimum of the error or the caller, whatever the cap', () => {
    expect(launchRetryDelayMs(1, policy, { minDelayMs: 30_000 })).toBe(30_000);
    expect(launchRetryDelayMs(1, policy, { retryAfterMs: 60_000 }, 12_000)).toBe(12_000);
  });
});

describe('pollRetryDelayMs', () => {
  /** A 429 with Retry-After 60 was polled again after 5 s, spending the poll limit whose end cancels the job. */
  it("waits the poll interval, or a rate-limited target's Retry-After up to a maximum", () => {
    expect(pollRetryDelayMs(5000, undefined, 120_000)).toBe(5000);
    expect(pollRetryDelayMs(5000, 1000, 120_000)).toBe(5000);
    expect(pollRetryDelayMs(5000, 60_000, 120_000)).toBe(60_000);
    expect(pollRetryDelayMs(5000, 86_400_000, 120_000)).toBe(120_000);
  });
});
