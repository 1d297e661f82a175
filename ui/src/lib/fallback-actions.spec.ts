import { describe, expect, it } from 'vitest';
import type { RunDetail, StepAttempt } from '../api/types';
import { type ActionName, runActions } from './run-actions';
import { RUN_STATUSES } from './run-statuses';

// An engine that does not say which actions apply (no `actions`, no `allowedActions`): the console
// decides from the status, by the engine's rules (src/engine/core/operator-action.ts, and the
// executor's requestUndo), so that it offers no action the API refuses.
const attempt = (stepName: string, seq: number, status: string): StepAttempt => ({
  stepName, seq, action: 'DO', attempt: 1, commandId: `${stepName}-${status}`, status, handlerType: 'worker', target: null, output: null, error: null,
  dispatchedAt: '2026-12-01T00:00:00Z', deadlineAt: '2026-12-01T00:01:00Z', completedAt: null,
});
const run = (status: string, more: Partial<RunDetail> = {}): RunDetail => ({
  flowId: 'f', orchName: 'o', templateVersion: 1, status, failedStep: null, error: null, correlationId: 'c',
  createdAt: '', updatedAt: '', finishedAt: null, contentType: 'application/json', payload: {}, payloadEncoding: 'json',
  steps: [attempt('reserve', 1, 'SUCCEEDED'), attempt('charge', 2, 'DISPATCHED')], events: [], ...more,
});
/** The statuses on which the action's button is enabled. */
const enabledOn = (action: ActionName) =>
  RUN_STATUSES.filter((status) => runActions(run(status)).find((a) => a.action === action)!.enabled);

describe('actions from the status, for an engine that does not say', () => {
  it('undoes a finished run, and retries the failed undos of one whose compensation or undo failed', () => {
    expect(enabledOn('undo')).toEqual(['COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDO_FAILED']);
  });

  it('retries a failed step of a RUNNING or PAUSED run', () => {
    expect(enabledOn('retry')).toEqual(['RUNNING', 'PAUSED']);
  });

  it('skips a failed step of a RUNNING or PAUSED run', () => {
    expect(enabledOn('skip')).toEqual(['RUNNING', 'PAUSED']);
  });

  it('pauses only a RUNNING run: not one compensating or being undone', () => {
    expect(enabledOn('pause')).toEqual(['RUNNING']);
  });

  it('resumes only a PAUSED run, and not while a step it waits on has failed', () => {
    expect(enabledOn('resume')).toEqual(['PAUSED']);
    const failed = run('PAUSED', { failedStep: 'charge', steps: [attempt('reserve', 1, 'SUCCEEDED'), attempt('charge', 2, 'FAILED')] });
    expect(runActions(failed).find((a) => a.action === 'resume')).toMatchObject({
      enabled: false, reason: 'step charge failed: retry it, skip it, or compensate the run',
    });
  });

  it('compensates only a PAUSED run, as the engine does on request', () => {
    expect(enabledOn('compensate')).toEqual(['PAUSED']);
    expect(runActions(run('RUNNING')).find((a) => a.action === 'compensate')!.reason).toBe('not possible while the run is RUNNING');
  });

  it('terminates an unfinished run, but not one being undone', () => {
    expect(enabledOn('terminate')).toEqual(['WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED', 'COMPENSATING']);
  });
});
