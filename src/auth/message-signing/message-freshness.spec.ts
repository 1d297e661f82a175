import { CLOCK_SKEW_SECONDS, stalenessOf } from './message-freshness';

describe('stalenessOf', () => {
  const now = Date.UTC(2026, 11, 2, 12, 0, 0);
  const seconds = now / 1000;

  it('accepts a message signed now, up to the window (and the clock skew) ago, and slightly ahead of our clock', () => {
    for (const signedAt of [seconds, seconds - 300 - CLOCK_SKEW_SECONDS, seconds + CLOCK_SKEW_SECONDS]) expect(stalenessOf(signedAt, now, 300)).toBeUndefined();
  });

  it('refuses a message older than the window and the clock skew, saying how old', () => {
    expect(stalenessOf(seconds - 331, now, 300)).toBe('signed 331 s ago, more than MESSAGE_SIGNATURE_MAX_AGE_SECONDS=300 and the 30 s clock skew allowed');
    expect(stalenessOf(0, now, 300)).toMatch(/^signed \d+ s ago/);
  });

  it('refuses a message signed further in the future than the clock skew', () => {
    expect(stalenessOf(seconds + CLOCK_SKEW_SECONDS + 1, now, 300)).toBe(`signed ${CLOCK_SKEW_SECONDS + 1} s in the future, more than the 30 s clock skew allowed`);
  });

  it('counts whole seconds of our clock, as the sender does', () => {
    expect(stalenessOf(seconds - 330, now + 999, 300)).toBeUndefined();
    expect(stalenessOf(seconds - 330, now + 1000, 300)).toMatch(/^signed 331 s ago/);
  });
});
