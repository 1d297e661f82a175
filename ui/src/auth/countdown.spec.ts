import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countDown } from './countdown';

describe('countDown', () => {
  // The browser's clocks, faked: the wall clock (Date) can be set apart from the monotonic one.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  const run = () => {
    const ticks: number[] = [];
    const stop = countDown(37, (left) => ticks.push(left));
    return { ticks, stop };
  };

  it('counts Retry-After down once a second, and stops at 0', () => {
    const { ticks } = run();
    vi.advanceTimersByTime(3000);
    expect(ticks).toEqual([36, 35, 34]);
    vi.advanceTimersByTime(60_000);
    expect(ticks.at(-1)).toBe(0);
    expect(ticks.filter((t) => t === 0)).toHaveLength(1);
  });

  it('keeps counting when the machine\'s clock is set back an hour: no hour more to wait', () => {
    const { ticks } = run();
    vi.advanceTimersByTime(5000);
    vi.setSystemTime(Date.now() - 3_600_000);
    vi.advanceTimersByTime(2000);
    expect(ticks).toEqual([36, 35, 34, 33, 32, 31, 30]);
  });

  it('keeps counting when the clock is set forward: no "try again now" while Baton still refuses', () => {
    const { ticks } = run();
    vi.advanceTimersByTime(1000);
    vi.setSystemTime(Date.now() + 3_600_000);
    vi.advanceTimersByTime(1000);
    expect(ticks).toEqual([36, 35]);
  });

  it('stops when asked (the form closed, or another lockout came)', () => {
    const { ticks, stop } = run();
    vi.advanceTimersByTime(1000);
    stop();
    vi.advanceTimersByTime(5000);
    expect(ticks).toEqual([36]);
  });
});
