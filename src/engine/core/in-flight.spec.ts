import { findInFlight } from './in-flight';

const attempt = (stepName: string, action: 'DO' | 'UNDO', n: number, status: 'DISPATCHED' | 'SUCCEEDED' | 'TIMED_OUT', commandId: string) =>
  ({ stepName, action, attempt: n, status, commandId });

describe('findInFlight', () => {
  const attempts = [
    attempt('reserve', 'DO', 1, 'TIMED_OUT', 'c1'),
    attempt('reserve', 'DO', 2, 'DISPATCHED', 'c2'),
    attempt('charge', 'DO', 1, 'SUCCEEDED', 'c3'),
    attempt('charge', 'UNDO', 1, 'DISPATCHED', 'c4'),
  ];

  it('finds the dispatched attempt a reply names by attempt and commandId', () => {
    expect(findInFlight(attempts, { stepName: 'reserve', action: 'DO', attempt: 2, commandId: 'c2' })?.commandId).toBe('c2');
    expect(findInFlight(attempts, { stepName: 'charge', action: 'UNDO', commandId: 'c4' })?.commandId).toBe('c4');
  });

  it('takes the attempt in flight for a reply in the original format (no attempt, no commandId)', () => {
    expect(findInFlight(attempts, { stepName: 'reserve', action: 'DO' })?.attempt).toBe(2);
  });

  it('finds nothing for a late reply to a timed-out attempt, a finished step, another action or an unknown step', () => {
    expect(findInFlight(attempts, { stepName: 'reserve', action: 'DO', attempt: 1, commandId: 'c1' })).toBeUndefined();
    expect(findInFlight(attempts, { stepName: 'reserve', action: 'DO', commandId: 'c1' })).toBeUndefined();
    expect(findInFlight(attempts, { stepName: 'charge', action: 'DO' })).toBeUndefined();
    expect(findInFlight(attempts, { stepName: 'reserve', action: 'UNDO' })).toBeUndefined();
    expect(findInFlight(attempts, { stepName: 'ship', action: 'DO' })).toBeUndefined();
  });

  it('finds nothing when the attempt number and the commandId disagree', () => {
    expect(findInFlight(attempts, { stepName: 'reserve', action: 'DO', attempt: 1, commandId: 'c2' })).toBeUndefined();
  });
});
