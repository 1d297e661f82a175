import { describe, expect, it } from 'vitest';
import type { RunDetail, StepAttempt } from '../api/types';
import { actionableSteps, canAct, runActions } from './run-actions';

const att = (stepName: string, seq: number, status: string, action: 'DO' | 'UNDO' = 'DO'): StepAttempt => ({
  stepName, seq, action, attempt: 1, commandId: `${stepName}${action}${status}`, status, handlerType: 'worker', target: null, output: null, error: null,
  dispatchedAt: '2026-12-01T00:00:00Z', deadlineAt: '2026-12-01T00:01:00Z', completedAt: null,
});
const run = (status: string, more: Partial<RunDetail> = {}): RunDetail => ({
  flowId: 'f', orchName: 'o', templateVersion: 1, status, failedStep: null, error: null, correlationId: 'c',
  createdAt: '', updatedAt: '', finishedAt: null, contentType: 'application/json', payload: {}, payloadEncoding: 'json',
  steps: [att('reserve', 1, 'SUCCEEDED'), att('charge', 2, 'SUCCEEDED'), att('ship', 3, 'FAILED')], events: [], ...more,
});
const byName = (r: RunDetail) => Object.fromEntries(runActions(r).map((a) => [a.action, a]));

describe('runActions', () => {
  it('derives from the status when the engine sends no allowedActions', () => {
    const a = byName(run('COMPLETED'));
    expect(a.undo.enabled).toBe(true);
    expect(a.undo.effect).toContain('charge, then reserve.');
    expect(a.terminate.enabled).toBe(false);
    expect(a.terminate.reason).toBe('not possible while the run is COMPLETED');
    expect(byName(run('RUNNING')).undo.enabled).toBe(false);
  });

  it('leaves steps declared undo: false out of what an undo will do', () => {
    const done = run('COMPLETED', { steps: [att('reserve', 1, 'SUCCEEDED'), att('charge', 2, 'SUCCEEDED'), att('ship', 3, 'SUCCEEDED')] });
    const undo = runActions(done, new Set(['ship'])).find((a) => a.action === 'undo')!;
    expect(undo.effect).toContain('reverse order: charge, then reserve; ship declares undo: false and stays as done.');
  });

  it('names the retry of failed undos', () => {
    const a = byName(run('UNDO_FAILED'));
    expect(a.undo).toMatchObject({ enabled: true, label: 'Retry failed undos' });
  });

  it('follows allowedActions as a list of names, disabling everything else', () => {
    const a = byName(run('RUNNING', { allowedActions: ['pause', 'TERMINATE'] }));
    expect(a.pause.enabled).toBe(true);
    expect(a.terminate.enabled).toBe(true);
    expect(a.skip.enabled).toBe(false);
  });

  it('decides undo from the status, since allowedActions names only the operator actions', () => {
    expect(byName(run('COMPLETED', { allowedActions: [] })).undo.enabled).toBe(true);
    expect(byName(run('RUNNING', { allowedActions: ['pause'] })).undo.enabled).toBe(false);
  });

  it('follows allowedActions with reasons', () => {
    const a = byName(run('RUNNING', { allowedActions: [{ action: 'skip', allowed: false, reason: 'no step in flight' }, { action: 'retry', allowed: true }] }));
    expect(a.skip).toMatchObject({ enabled: false, reason: 'no step in flight' });
    expect(a.retry.enabled).toBe(true);
  });
});

describe('canAct', () => {
  it('hides actions from viewers only', () => {
    expect(canAct(null)).toBe(true);
    expect(canAct({ id: 'k', kind: 'apiKey', roles: ['viewer'], service: null })).toBe(false);
    expect(canAct({ id: 'k', kind: 'apiKey', roles: ['viewer', 'operator'], service: null })).toBe(true);
    expect(canAct({ id: 'k', kind: 'jwt', roles: ['admin'], service: null })).toBe(true);
  });
});

describe('actionableSteps', () => {
  it('lists the steps whose last DO did not succeed', () => {
    expect(actionableSteps(run('RUNNING'))).toEqual(['ship']);
  });
});
