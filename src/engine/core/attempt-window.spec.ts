import { attemptWindowSeconds } from './attempt-window';

describe('attemptWindowSeconds', () => {
  it('is the step timeout when the step declares no heartbeatSeconds', () => {
    expect(attemptWindowSeconds(300, null)).toBe(300);
    expect(attemptWindowSeconds(300, undefined)).toBe(300);
  });

  it('is heartbeatSeconds when shorter: silence for that long times the attempt out', () => {
    expect(attemptWindowSeconds(3600, 30)).toBe(30);
  });

  it('never exceeds the timeout (the default timeout may be shorter than a declared heartbeatSeconds)', () => {
    expect(attemptWindowSeconds(20, 30)).toBe(20);
  });
});
