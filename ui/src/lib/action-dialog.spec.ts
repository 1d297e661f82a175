import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunDetail, StepAttempt } from '../api/types';
import { changedSince, keepDraft, seenAttempt, seenRun, takeDraft } from './action-dialog';

const att = (stepName: string, attempt: number, status: StepAttempt['status']): StepAttempt => ({
  stepName, seq: 1, action: 'DO', attempt, commandId: `${stepName}${attempt}`, budgetStart: 1, status, handlerType: 'worker', target: null, output: null, error: null,
  dispatchedAt: '2026-12-01T00:00:00Z', deadlineAt: '2026-12-01T00:01:00Z', completedAt: null, lastHeartbeatAt: null,
});
const run = (status: RunDetail['status'], updatedAt: string, steps: StepAttempt[]): RunDetail => ({
  flowId: 'f', orchName: 'o', templateVersion: 1, status, failedStep: 'ship', error: null, correlationId: 'c',
  createdAt: '', updatedAt, finishedAt: null, contentType: 'application/json', payload: {}, payloadEncoding: 'json', steps, events: [],
  deadlineAt: null, onDeadline: null, deadlineRemainingSeconds: null, allowedActions: [], actions: [],
});

describe('the run as the dialog opened on it', () => {
  const opened = run('PAUSED', 't1', [att('ship', 1, 'FAILED'), att('ship', 2, 'FAILED')]);
  // Another operator retried meanwhile: attempt 3 is in flight, and the run is RUNNING.
  const polled = run('RUNNING', 't2', [...opened.steps, att('ship', 3, 'DISPATCHED')]);

  it('names the attempt seen when the dialog opened, not the one a later poll brought', () => {
    expect(seenAttempt(seenRun(opened), polled, 'ship')).toBe(2);
  });

  it('says the run changed while the dialog was open, and that confirming will change nothing', () => {
    expect(changedSince(seenRun(opened), polled, 'ship')).toBe('The run changed while this dialog was open (it was PAUSED and is now RUNNING). '
      + 'ship has had attempt 3 since the 2 you saw, so Baton will change nothing if you confirm: close this and look again.');
    expect(changedSince(seenRun(opened), opened, 'ship')).toBeNull();
  });
});

describe('an action draft kept through a sign-in', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is given back once, and only on its own run', () => {
    const stored = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v), removeItem: (k: string) => stored.delete(k),
    });
    const draft = { flowId: 'f', action: 'retry' as const, reason: 'card re-issued', step: 'ship', output: '', mode: null, seen: seenRun(run('PAUSED', 't1', [])) };
    keepDraft(draft);
    expect(takeDraft('other')).toBeNull();
    expect(takeDraft('f')).toEqual(draft);
    expect(takeDraft('f')).toBeNull();
  });
});
