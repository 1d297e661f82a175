import { deadlineVerdict, OnDeadline, parkedStart } from './deadline-action';
import type { RunStatus } from './run-status';

describe('deadlineVerdict', () => {
  it.each<[RunStatus, OnDeadline, RunStatus | undefined]>([
    ['RUNNING', 'compensate', 'COMPENSATING'],
    ['PAUSED', 'compensate', 'COMPENSATING'],
    ['WAITING_FOR_WORKERS', 'compensate', 'COMPENSATING'],
    ['RUNNING', 'pause', 'PAUSED'],
    ['PAUSED', 'pause', 'PAUSED'],
    ['WAITING_FOR_WORKERS', 'pause', 'WAITING_FOR_WORKERS'],
    ['RUNNING', 'alert', 'RUNNING'],
    ['COMPENSATING', 'compensate', undefined],
    ['COMPLETED', 'alert', undefined],
    ['TERMINATED', 'pause', undefined],
  ])('%s past its deadline with onDeadline %s → %s', (status, onDeadline, expected) => {
    expect(deadlineVerdict(status, onDeadline)).toBe(expected);
  });
});

describe('parkedStart', () => {
  it('starts PAUSED a parked run whose pause deadline passed by the database\'s clock, and handles the deadline itself', () => {
    expect(parkedStart({ onDeadline: 'pause', passed: true, handled: false })).toEqual({ status: 'PAUSED', handlesDeadline: true });
  });

  it('starts PAUSED one whose deadline the healer reported while it waited, without handling it again', () => {
    expect(parkedStart({ onDeadline: 'pause', passed: true, handled: true })).toEqual({ status: 'PAUSED', handlesDeadline: false });
    // Reported by the healer, the deadline passed, whatever the read of the clock said before.
    expect(parkedStart({ onDeadline: 'pause', passed: false, handled: true })).toEqual({ status: 'PAUSED', handlesDeadline: false });
  });

  it('does not start one whose compensate deadline passed by the database\'s clock: its first step would only be undone', () => {
    expect(parkedStart({ onDeadline: 'compensate', passed: true, handled: false })).toBeNull();
  });

  it('starts RUNNING any other: deadline ahead or none, or one that only alerts (reported, the run goes on)', () => {
    const running = { status: 'RUNNING', handlesDeadline: false };
    expect(parkedStart({ onDeadline: 'pause', passed: false, handled: false })).toEqual(running);
    expect(parkedStart({ onDeadline: 'compensate', passed: false, handled: false })).toEqual(running);
    expect(parkedStart({ onDeadline: null, passed: false, handled: false })).toEqual(running);
    expect(parkedStart({ onDeadline: 'alert', passed: true, handled: false })).toEqual(running);
    expect(parkedStart({ onDeadline: 'alert', passed: true, handled: true })).toEqual(running);
  });
});
