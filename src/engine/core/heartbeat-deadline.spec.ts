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

  it('never moves it past the cap (a heartbeatSeconds step\'s timeout from dispatch), nor shortens it to the cap', () => {
    const cap = new Date('2026-12-01T12:00:01Z');
    expect(heartbeatDeadline(now, new Date('2026-12-01T12:00:00.500Z'), 2, cap)).toEqual(cap);
    expect(heartbeatDeadline(now, new Date('2026-12-01T12:00:00.500Z'), 2, new Date('2026-12-01T12:10:00Z')).toISOString()).toBe('2026-12-01T12:00:02.000Z');
    const later = new Date('2026-12-01T12:00:05Z');
    expect(heartbeatDeadline(now, later, 2, cap)).toEqual(later);
  });
});
