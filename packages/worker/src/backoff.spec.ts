import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from firstMs up to maxMs, each delay in the upper half of its step, and starts over on reset', () => {
    const backoff = new Backoff(1000, 5000);
    const delays = Array.from({ length: 5 }, () => backoff.next());
    [1000, 2000, 4000, 5000, 5000].forEach((step, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(step / 2);
      expect(delays[i]).toBeLessThanOrEqual(step);
    });
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(1000);
  });
});
