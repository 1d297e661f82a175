import { expiryReason, isStalled, mayTimeOut, parkedRunVerdict, timeoutReason } from './policies';

const now = new Date('2026-01-01T00:10:00Z');

describe('healing policies', () => {
  describe('parked runs', () => {
    it('start when the template is READY, even past expiry', () => {
      expect(parkedRunVerdict({ expiresAt: new Date('2026-01-01T00:00:00Z') }, 'READY', now)).toBe('start');
    });

    it('expire past their expiry while the template is PENDING', () => {
      expect(parkedRunVerdict({ expiresAt: new Date('2026-01-01T00:09:59Z') }, 'PENDING', now)).toBe('expire');
    });

    it('keep waiting before their expiry', () => {
      expect(parkedRunVerdict({ expiresAt: new Date('2026-01-01T01:00:00Z') }, 'PENDING', now)).toBe('wait');
    });
  });

  describe('stalled runs', () => {
    const quiet = new Date('2026-01-01T00:09:00Z');

    it('are active runs with nothing in flight that have not moved for the grace period', () => {
      expect(isStalled({ status: 'RUNNING', updatedAt: quiet, inFlight: 0 }, now, 30_000)).toBe(true);
      expect(isStalled({ status: 'COMPENSATING', updatedAt: quiet, inFlight: 0 }, now, 30_000)).toBe(true);
    });

    it('exclude runs with a step in flight, recent runs and finished runs', () => {
      expect(isStalled({ status: 'RUNNING', updatedAt: quiet, inFlight: 1 }, now, 30_000)).toBe(false);
      expect(isStalled({ status: 'RUNNING', updatedAt: new Date('2026-01-01T00:09:50Z'), inFlight: 0 }, now, 30_000)).toBe(false);
      expect(isStalled({ status: 'COMPLETED', updatedAt: quiet, inFlight: 0 }, now, 30_000)).toBe(false);
    });
  });

  describe('timeouts', () => {
    it('wait while the reply consumers are not running: their replies are held in the broker, not lost', () => {
      expect(mayTimeOut(undefined, now, 2000)).toBe(false);
    });

    it('wait until the consumers have run long enough to apply the replies that piled up', () => {
      expect(mayTimeOut(new Date(now.getTime() - 1999), now, 2000)).toBe(false);
      expect(mayTimeOut(new Date(now.getTime() - 2000), now, 2000)).toBe(true);
    });
  });

  it('explains timeouts and expiry', () => {
    expect(timeoutReason({ action: 'DO', stepName: 'a', attempt: 2, deadlineAt: now })).toContain('DO a attempt 2');
    expect(expiryReason(now, ['x', 'y'])).toContain('still missing: x, y');
  });
});
