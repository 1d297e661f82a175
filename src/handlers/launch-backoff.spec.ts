import { DEFAULT_LAUNCH_RETRY, launchBackoffMs, mayRetryLaunch } from './launch-backoff';

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
