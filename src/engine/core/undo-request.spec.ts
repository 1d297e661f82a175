import { RUN_STATUSES, RunStatus } from './run-status';
import { decideUndo, undoRefusal } from './undo-request';

describe('decideUndo: an operator undo in each state', () => {
  // Every status, so that a new one must be given its verdict here.
  const table: Record<RunStatus, string> = {
    COMPLETED: 'undo',
    FAILED: 'undo',
    COMPENSATION_FAILED: 'retry-undos',
    UNDO_FAILED: 'retry-undos',
    UNDONE: 'it is already undone or being undone',
    UNDOING: 'it is already undone or being undone',
    EXPIRED: 'it never started',
    TERMINATED: 'it was terminated with its effects left in place',
    WAITING_FOR_WORKERS: 'it is still running',
    RUNNING: 'it is still running',
    PAUSED: 'it is still running',
    COMPENSATING: 'it is still running',
  };

  it.each(RUN_STATUSES.map((s) => [s, table[s]]))('%s: %s', (status, expected) => {
    const verdict = decideUndo(status);
    if (verdict.kind === 'refused') {
      expect(verdict.code).toBe('RUN_NOT_UNDOABLE');
      expect(verdict.reason).toBe(expected);
    } else {
      expect(verdict.kind).toBe(expected);
    }
  });

  /** A double click on a COMPLETED run: the second undo found it UNDOING and got 409, where every other action answers 202 changed: false. */
  it('takes an undo of a run undone or being undone as already done, and only that', () => {
    const done = RUN_STATUSES.filter((s) => { const v = decideUndo(s); return v.kind === 'refused' && v.alreadyDone; });
    expect(done).toEqual(['UNDOING', 'UNDONE']);
  });

  it('says a refusal as the API does, naming the run', () => {
    expect(undoRefusal('Run f1', 'PAUSED', 'it is still running')).toBe('Run f1 is PAUSED: cannot undo it because it is still running');
  });
});
