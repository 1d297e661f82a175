import { afterRefusal, MAX_REFUSALS } from './refusal-policy';

describe('afterRefusal', () => {
  it('retries a refused row later each time, then parks it', () => {
    const verdicts = Array.from({ length: MAX_REFUSALS }, (_, before) => afterRefusal(before));
    expect(verdicts).toEqual([
      { park: false, retryInMs: 5_000 }, { park: false, retryInMs: 10_000 }, { park: false, retryInMs: 20_000 },
      { park: false, retryInMs: 40_000 }, { park: true },
    ]);
  });

  it('parks a row refused more often than the limit (a count from before the limit changed)', () => {
    expect(afterRefusal(MAX_REFUSALS + 3)).toEqual({ park: true });
  });
});
