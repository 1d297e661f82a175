import { deadlineVerdict, OnDeadline, parkedStartStatus } from './deadline-action';
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

describe('parkedStartStatus', () => {
  const now = new Date('2026-12-04T00:00:00Z');
  const before = new Date(now.getTime() - 1);
  const after = new Date(now.getTime() + 1);

  it('starts PAUSED a parked run whose deadline passed while it waited and says pause', () => {
    expect(parkedStartStatus({ deadlineAt: before, onDeadline: 'pause' }, now)).toBe('PAUSED');
    expect(parkedStartStatus({ deadlineAt: now, onDeadline: 'pause' }, now)).toBe('PAUSED');
  });

  it('starts RUNNING any other: deadline ahead or none, or one that alerts (compensate unwinds it on its own)', () => {
    expect(parkedStartStatus({ deadlineAt: after, onDeadline: 'pause' }, now)).toBe('RUNNING');
    expect(parkedStartStatus({ deadlineAt: null, onDeadline: null }, now)).toBe('RUNNING');
    expect(parkedStartStatus({ deadlineAt: before, onDeadline: 'alert' }, now)).toBe('RUNNING');
    expect(parkedStartStatus({ deadlineAt: before, onDeadline: 'compensate' }, now)).toBe('RUNNING');
  });
});
