import { describe, expect, it } from 'vitest';
import { onFailureText, retryText } from './step-facts';

describe('retryText', () => {
  it('says a retry policy in words, not JSON', () => {
    expect(retryText({ maxAttempts: 2, backoff: 'fixed', initialDelaySeconds: 0, maxDelaySeconds: 60 })).toBe('2 attempts, fixed 0 s');
    expect(retryText({ maxAttempts: 5, backoff: 'exponential', initialDelaySeconds: 2, maxDelaySeconds: 120 })).toBe('5 attempts, exponential 2 s to 120 s');
    expect(retryText({ maxAttempts: 1 })).toBe('1 attempt');
  });

  it('shows none as null, and an unknown shape as its JSON', () => {
    expect(retryText(null)).toBeNull();
    expect(retryText({ tries: 3 })).toBe('{"tries":3}');
  });
});

describe('onFailureText', () => {
  it('reads the default as compensate', () => {
    expect([onFailureText(undefined), onFailureText('compensate'), onFailureText('pause')]).toEqual(['compensate', 'compensate', 'pause the run']);
  });
});
