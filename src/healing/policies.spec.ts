import type { ConsumerState } from '../messaging/message-consumer';
import { expiryReason, listening, mayTimeOut, parkedRunVerdict, timeoutReason, unsendableTimeoutError } from './policies';

const now = new Date('2026-01-01T00:10:00Z');

describe('healing policies', () => {
  describe('parked runs', () => {
    it('start when the template is READY, even past expiry', () => {
      expect(parkedRunVerdict({ expired: true }, 'READY')).toBe('start');
    });

    it('expire past their expiry while the template is PENDING', () => {
      expect(parkedRunVerdict({ expired: true }, 'PENDING')).toBe('expire');
    });

    it('keep waiting before their expiry', () => {
      expect(parkedRunVerdict({ expired: false }, 'PENDING')).toBe('wait');
    });
  });

  describe('timeouts', () => {
    const limits = { settleMs: 2000, capMs: 60_000 };
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const running = (backlog: ConsumerState['backlog']) => ({ state: 'running' as const, backlog });
    const applied = running({ kind: 'applied' });

    it('wait while a reply consumer is not running: its replies are held in the broker, not lost', () => {
      expect(mayTimeOut([applied], undefined, now, limits)).toBe(false);
      expect(mayTimeOut([applied, { state: 'restarting', backlog: { kind: 'applied' } }], ago(10_000), now, limits)).toBe(false);
      expect(mayTimeOut([], ago(10_000), now, limits)).toBe(false); // starting: not subscribed yet
    });

    it('go ahead once every reply consumer applied what was waiting when it joined and has run settleMs', () => {
      expect(mayTimeOut([applied, applied], ago(2000), now, limits)).toBe(true);
    });

    it('wait settleMs even with nothing left to apply: commands sent on resuming may be answered just after their deadline', () => {
      expect(mayTimeOut([applied, applied], ago(1999), now, limits)).toBe(false);
    });

    it('wait while a consumer applies its backlog, however long it has run', () => {
      expect(mayTimeOut([applied, running({ kind: 'applying', since: ago(59_999) })], ago(120_000), now, limits)).toBe(false);
    });

    it('wait for a backlog at most capMs: a blocked partition must not disable timeouts for good', () => {
      expect(mayTimeOut([running({ kind: 'applying', since: ago(60_000) })], ago(60_000), now, limits)).toBe(true);
    });

    it('wait while a running consumer holds a reply in its outage retry (the database is down): it is not applied yet', () => {
      const holding = { ...applied, waitingSince: ago(60_000) };
      expect(listening(holding)).toBe(false);
      expect(listening(applied)).toBe(true);
      expect(listening({ state: 'restarting' })).toBe(false);
      // However long it has run, and since when it waits: the reply is applied only once the database answers.
      expect(mayTimeOut([applied, holding], ago(600_000), now, limits)).toBe(false);
    });

    it('give a consumer that cannot tell whether it caught up settleMs of running', () => {
      expect(mayTimeOut([running({ kind: 'unknown' })], ago(1999), now, limits)).toBe(false);
      expect(mayTimeOut([running({ kind: 'unknown' }), applied], ago(2000), now, limits)).toBe(true);
    });
  });

  describe('timeouts whose follow-up is too big to send', () => {
    it('fail the step for good with OUTPUT_TOO_LARGE, as an unsendable reply does', () => {
      expect(unsendableTimeoutError('DO b attempt 1 got no reply', 'over 8192')).toBe(
        'OUTPUT_TOO_LARGE: DO b attempt 1 got no reply, and what would follow cannot be sent: over 8192');
    });
  });

  it('explains timeouts and expiry', () => {
    expect(timeoutReason({ action: 'DO', stepName: 'a', attempt: 2, deadlineAt: now })).toContain('DO a attempt 2');
    expect(expiryReason(now, ['x', 'y'])).toContain('still missing: x, y');
  });
});
