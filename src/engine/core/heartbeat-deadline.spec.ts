import { heartbeatDeadline } from './heartbeat-deadline';

describe('heartbeatDeadline', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('moves the deadline to the step timeout from now', () => {
    expect(heartbeatDeadline(now, new Date('2026-12-01T12:00:01Z'), 2).toISOString()).toBe('2026-12-01T12:00:02.000Z');
  });

  it('never shortens a deadline that is already later', () => {
    const later = new Date('2026-12-01T12:10:00Z');
    expect(heartbeatDeadline(now, later, 2)).toEqual(later);
  });
});
