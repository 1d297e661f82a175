import { attemptsToAbandon } from './abandon-in-flight';
import { RUN_STATUSES, StepRunStatus } from './run-status';

const attempt = (stepName: string, status: StepRunStatus, action: 'DO' | 'UNDO' = 'DO') => ({ stepName, action, attempt: 1, status });

describe('attemptsToAbandon', () => {
  const attempts = [attempt('reserve', 'SUCCEEDED'), attempt('charge', 'DISPATCHED'), attempt('ship', 'VOIDED'), attempt('pack', 'DISPATCHED', 'UNDO')];

  it('gives up, on a TERMINATED run, every attempt still in flight, DO or UNDO', () => {
    expect(attemptsToAbandon('TERMINATED', attempts).map((a) => `${a.action}:${a.stepName}`)).toEqual(['DO:charge', 'UNDO:pack']);
  });

  it('gives up nothing on a run in any other status: its attempts in flight are still awaited', () => {
    for (const status of RUN_STATUSES.filter((s) => s !== 'TERMINATED')) expect([status, attemptsToAbandon(status, attempts)]).toEqual([status, []]);
  });

  it('gives up nothing when nothing is in flight', () => {
    expect(attemptsToAbandon('TERMINATED', [attempt('reserve', 'SUCCEEDED')])).toEqual([]);
  });
});
