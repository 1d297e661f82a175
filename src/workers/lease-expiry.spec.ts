import { leaseExpiryAction } from './lease-expiry';

describe('leaseExpiryAction', () => {
  /** The lease ran its 60 s, by the clock of the instance that holds it. */
  const leaseAgeMs = 60_000;
  const waiting = { inFlight: true, pastDeadline: false };

  it('acknowledges a command whose attempt is over, or that no attempt awaits', () => {
    expect(leaseExpiryAction({ inFlight: false, pastDeadline: false, heartbeatAgeMs: null }, leaseAgeMs)).toBe('acknowledge');
    expect(leaseExpiryAction({ inFlight: false, pastDeadline: false, heartbeatAgeMs: 5_000 }, leaseAgeMs)).toBe('acknowledge');
    expect(leaseExpiryAction({ inFlight: false, pastDeadline: true, heartbeatAgeMs: null }, leaseAgeMs)).toBe('acknowledge');
    expect(leaseExpiryAction(undefined, leaseAgeMs)).toBe('acknowledge');
  });

  it('acknowledges a command whose attempt waits past its deadline: its worker drops it, and the healer ends the attempt', () => {
    expect(leaseExpiryAction({ inFlight: true, pastDeadline: true, heartbeatAgeMs: null }, leaseAgeMs)).toBe('acknowledge');
    expect(leaseExpiryAction({ inFlight: true, pastDeadline: true, heartbeatAgeMs: 65_000 }, leaseAgeMs)).toBe('acknowledge');
  });

  it('renews the lease when a heartbeat was recorded since it started', () => {
    expect(leaseExpiryAction({ ...waiting, heartbeatAgeMs: 5_000 }, leaseAgeMs)).toBe('renew');
    expect(leaseExpiryAction({ ...waiting, heartbeatAgeMs: 59_999 }, leaseAgeMs)).toBe('renew');
  });

  it('offers the command again when its attempt waits and no heartbeat came during the lease', () => {
    expect(leaseExpiryAction({ ...waiting, heartbeatAgeMs: null }, leaseAgeMs)).toBe('offer-again');
    expect(leaseExpiryAction({ ...waiting, heartbeatAgeMs: 65_000 }, leaseAgeMs)).toBe('offer-again');
    expect(leaseExpiryAction({ ...waiting, heartbeatAgeMs: leaseAgeMs }, leaseAgeMs)).toBe('offer-again');
  });
});
