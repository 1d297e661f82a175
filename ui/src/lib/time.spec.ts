import { describe, expect, it } from 'vitest';
import { clockTime, duration, localTime } from './time';

const after = (ms: number) => duration('2026-12-01T00:00:00.000Z', new Date(Date.parse('2026-12-01T00:00:00.000Z') + ms).toISOString());

describe('duration', () => {
  it('carries a rounding up into the next unit instead of showing 60 of the smaller one', () => {
    expect(after(59_960)).toBe('1 min 0 s');
    expect(after(6 * 60_000 + 59_600)).toBe('7 min 0 s');
    expect(after(3_599_600)).toBe('1 h 0 min');
    expect(after(2 * 3_600_000 + 59 * 60_000 + 45_000)).toBe('3 h 0 min');
  });

  it('shows milliseconds, tenths of seconds, then minutes and seconds, then hours and minutes', () => {
    expect(after(340)).toBe('340 ms');
    expect(after(1_250)).toBe('1.3 s');
    expect(after(59_940)).toBe('59.9 s');
    expect(after(6 * 60_000 + 12_400)).toBe('6 min 12 s');
    expect(after(3_600_000 + 5 * 60_000)).toBe('1 h 5 min');
  });

  it('says nothing for a span that ends before it starts', () => {
    expect(after(-1)).toBe('–');
  });
});

describe('clockTime', () => {
  it('writes the time of day as every other time on the console is written, in the browser locale (12-hour in en-US)', () => {
    const at = new Date(2026, 11, 1, 15, 19, 27);
    expect(localTime(at.toISOString())).toContain(clockTime(at.getTime()));
    expect(clockTime(at.getTime())).toBe(at.toLocaleTimeString(undefined, { timeStyle: 'medium' }));
  });
});
