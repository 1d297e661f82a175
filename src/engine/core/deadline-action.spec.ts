import { deadlineVerdict, OnDeadline } from './deadline-action';
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
