import { LeaseWindow } from './lease-window';

describe('LeaseWindow', () => {
  // Baton's clock an hour behind this process's: only Baton's own times are compared with each other.
  const answeredAt = Date.now() - 3_600_000;
  const expiresIn = (ms: number) => new Date(answeredAt + ms).toISOString();

  it('retries until 2 s before the lease expires, by the lease\'s length on Baton\'s clock and the time since it came', () => {
    const window = LeaseWindow.of(expiresIn(60_000), answeredAt, 1_000);
    expect(window.retryForMs(1_000)).toBe(58_000);
    expect(window.retryForMs(51_000)).toBe(8_000);
    expect(window.retryForMs(70_000)).toBe(0);
  });

  it('runs the lease\'s full length again from a confirmed heartbeat', () => {
    const window = LeaseWindow.of(expiresIn(60_000), answeredAt, 0);
    window.renewed(50_000);
    expect(window.retryForMs(60_000)).toBe(48_000);
  });

  it('retries for 30 s when the lease\'s length is unknown (no Date header, no readable expiry)', () => {
    for (const window of [LeaseWindow.of(expiresIn(60_000), undefined, 0), LeaseWindow.of('', answeredAt, 0), LeaseWindow.of(undefined, answeredAt, 0)]) {
      window.renewed(10_000);
      expect(window.retryForMs(20_000)).toBe(30_000);
    }
  });

  it('retries a reply or a drop until the command\'s deadline by Baton\'s clock when it comes after the lease, else as long as the lease', () => {
    const window = LeaseWindow.of(expiresIn(60_000), answeredAt, 1_000);
    expect(window.finalRetryForMs(expiresIn(300_000), 1_000)).toBe(300_000);
    expect(window.finalRetryForMs(expiresIn(300_000), 201_000)).toBe(100_000);
    expect(window.finalRetryForMs(expiresIn(10_000), 1_000)).toBe(58_000);
    expect(window.finalRetryForMs('not a date', 1_000)).toBe(58_000);
    expect(LeaseWindow.of(expiresIn(60_000), undefined, 0).finalRetryForMs(expiresIn(300_000), 0)).toBe(30_000);
  });
});
