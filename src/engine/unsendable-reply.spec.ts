import type { StepResult } from './dispatch/step-result';
import { droppedOutputChange } from './unsendable-reply';

const result = (over: Partial<StepResult>): StepResult => ({ flowId: 'f', stepName: 'charge', action: 'DO', status: 'SUCCESS', ...over });

describe('droppedOutputChange', () => {
  it('unwinds a running or paused run after a success whose output its worker dropped, naming the step and why', () => {
    const change = droppedOutputChange(result({ outputDropped: true, error: 'OUTPUT_REFUSED: too big' }))!;
    expect(change.error).toBe('DO charge succeeded, but its worker could not send its output, so the run unwinds, charge included: OUTPUT_REFUSED: too big');
    expect([change.to('RUNNING'), change.to('PAUSED')]).toEqual(['COMPENSATING', 'COMPENSATING']);
  });

  it('changes nothing for a run unwinding already (an undo whose output was dropped), a plain success, or a failure', () => {
    const undo = droppedOutputChange(result({ action: 'UNDO', outputDropped: true }))!;
    expect([undo.to('COMPENSATING'), undo.to('UNDOING')]).toEqual([null, null]);
    expect(droppedOutputChange(result({}))).toBeUndefined();
    expect(droppedOutputChange(result({ status: 'FAILED', outputDropped: true }))).toBeUndefined();
  });
});
