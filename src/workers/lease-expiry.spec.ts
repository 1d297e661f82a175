import { leaseExpiryAction } from './lease-expiry';

describe('leaseExpiryAction', () => {
  const leased = new Date('2030-01-01T00:00:10Z');

  it('acknowledges a command whose attempt is over, or that no attempt awaits', () => {
    expect(leaseExpiryAction({ inFlight: false, lastHeartbeatAt: null }, leased)).toBe('acknowledge');
    expect(leaseExpiryAction({ inFlight: false, lastHeartbeatAt: new Date('2030-01-01T00:00:20Z') }, leased)).toBe('acknowledge');
    expect(leaseExpiryAction(undefined, leased)).toBe('acknowledge');
  });

  it('renews the lease when a heartbeat was recorded since it started', () => {
    expect(leaseExpiryAction({ inFlight: true, lastHeartbeatAt: new Date('2030-01-01T00:00:15Z') }, leased)).toBe('renew');
  });

  it('offers the command again when its attempt waits and no heartbeat came during the lease', () => {
    expect(leaseExpiryAction({ inFlight: true, lastHeartbeatAt: null }, leased)).toBe('offer-again');
    expect(leaseExpiryAction({ inFlight: true, lastHeartbeatAt: new Date('2030-01-01T00:00:05Z') }, leased)).toBe('offer-again');
    expect(leaseExpiryAction({ inFlight: true, lastHeartbeatAt: leased }, leased)).toBe('offer-again');
  });
});
