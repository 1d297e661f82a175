import { ActionAvailability, allowedActions } from './allowed-actions';
import { decideOperatorAction } from './operator-action';
import type { Attempt, Plan, PlanStep } from './plan';
import { RUN_STATUSES, RunStatus, StepAction, StepRunStatus } from './run-status';

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep =>
  ({ name, seq, undoable: true, retry: null, onFailure: 'pause', ...extra });
const at = (stepName: string, action: StepAction, status: StepRunStatus, attempt = 1): Attempt => ({ stepName, action, status, attempt });
const plan: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 1), step('c', 2)] };

const midRun = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'DISPATCHED')];
const bFailed = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED')];
const done = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'SUCCEEDED')];

const allowed = (status: RunStatus, attempts: Attempt[]) =>
  allowedActions(plan, status, attempts).filter((a) => a.allowed).map((a) => a.action);
const entry = (status: RunStatus, attempts: Attempt[], action: ActionAvailability['action']) =>
  allowedActions(plan, status, attempts).find((a) => a.action === action)!;

describe('allowedActions', () => {
  it('offers what each state allows, by the same rules as the actions', () => {
    expect(allowed('RUNNING', midRun)).toEqual(['terminate', 'pause']);
    expect(allowed('PAUSED', midRun)).toEqual(['terminate', 'resume', 'compensate']);
    expect(allowed('PAUSED', bFailed)).toEqual(['terminate', 'retry', 'skip', 'compensate']);
    expect(allowed('COMPLETED', done)).toEqual(['undo']);
    expect(allowed('TERMINATED', done)).toEqual([]);
  });

  it('reports every operator action, then undo', () => {
    expect(allowedActions(plan, 'RUNNING', midRun).map((a) => a.action))
      .toEqual(['terminate', 'pause', 'resume', 'retry', 'skip', 'compensate', 'undo']);
  });

  it('says why an action is not allowed', () => {
    expect(entry('PAUSED', bFailed, 'resume')).toEqual({ action: 'resume', allowed: false, code: 'RUN_HAS_FAILED_STEP',
      reason: 'step b failed: retry it, skip it, or compensate the run' });
  });

  it('counts retry as allowed when it only needs the step named', () => {
    const twoFailed = [at('a', 'DO', 'FAILED'), at('b', 'DO', 'FAILED')];
    expect(allowed('PAUSED', twoFailed)).toContain('retry');
  });

  it('names the steps a retry or skip may name: the failed ones, not one in flight or succeeded', () => {
    const steps = (status: RunStatus, attempts: Attempt[]) => allowedActions(plan, status, attempts)
      .filter((a) => a.action === 'retry' || a.action === 'skip').map((a) => [a.action, a.steps]);
    expect(steps('PAUSED', bFailed)).toEqual([['retry', ['b']], ['skip', ['b']]]);
    expect(steps('PAUSED', [at('a', 'DO', 'FAILED'), at('b', 'DO', 'FAILED')])).toEqual([['retry', ['a', 'b']], ['skip', ['a', 'b']]]);
    expect(steps('RUNNING', midRun)).toEqual([['retry', undefined], ['skip', undefined]]);
  });

  it('offers no retry or skip of a step while another failed step would unwind the run, as the actions refuse it', () => {
    const retryOrSkip = (p: Plan, attempts: Attempt[]) => allowedActions(p, 'PAUSED', attempts).filter((a) => a.action === 'retry' || a.action === 'skip');
    const both = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('c', 'DO', 'FAILED')];
    const cUnwinds: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 1), step('c', 1, { onFailure: 'compensate' })] };
    expect(retryOrSkip(cUnwinds, both).map((a) => [a.allowed, a.steps])).toEqual([[true, ['c']], [true, ['c']]]);
    const bothUnwind: Plan = { ...cUnwinds, steps: cUnwinds.steps.map((x) => ({ ...x, onFailure: 'compensate' as const })) };
    expect(retryOrSkip(bothUnwind, both)).toEqual(['retry', 'skip'].map((action) => ({ action, allowed: false, code: 'RUN_HAS_FAILED_STEP',
      reason: 'step c failed and unwinds the run once it moves on: retry or skip it first, or compensate the run' })));
  });
});

describe('allowedActions: undo, as POST /undo/{flowId} answers it (decideUndo)', () => {
  it('allows undo on a finished run, and the retry of failed undos; refuses it elsewhere with the 409 it would get', () => {
    const undoable = RUN_STATUSES.filter((s) => entry(s, done, 'undo').allowed);
    expect(undoable).toEqual(['COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDO_FAILED']);
    expect(entry('COMPLETED', done, 'undo')).toEqual({ action: 'undo', allowed: true });
  });

  it.each([
    ['RUNNING', 'the run is RUNNING: cannot undo it because it is still running'],
    ['PAUSED', 'the run is PAUSED: cannot undo it because it is still running'],
    ['EXPIRED', 'the run is EXPIRED: cannot undo it because it never started'],
    ['TERMINATED', 'the run is TERMINATED: cannot undo it because it was terminated with its effects left in place'],
  ] as Array<[RunStatus, string]>)('%s: refused, with the reason the API gives', (status, reason) => {
    expect(entry(status, midRun, 'undo')).toEqual({ action: 'undo', allowed: false, code: 'RUN_NOT_UNDOABLE', reason });
  });

  it.each(['UNDOING', 'UNDONE'] as RunStatus[])('%s: not offered, without a refusal code: a second undo changes nothing (202 changed: false)', (status) => {
    expect(entry(status, midRun, 'undo')).toEqual({
      action: 'undo', allowed: false, reason: `the run is ${status}: cannot undo it because it is already undone or being undone`,
    });
  });
});

describe('allowedActions: terminate, with each compensate value', () => {
  const variants = (status: RunStatus, attempts: Attempt[]) => entry(status, attempts, 'terminate').variants;
  const compensating = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('a', 'UNDO', 'DISPATCHED')];

  it('offers terminate on a compensating run only without compensation, as the action accepts it', () => {
    expect(entry('COMPENSATING', compensating, 'terminate')).toEqual({
      action: 'terminate', allowed: true, compensate: false, reason: 'only with compensate=false: the run is already COMPENSATING',
      variants: [
        { compensate: true, allowed: false, reason: 'the run is already COMPENSATING' },
        { compensate: false, allowed: true },
      ],
    });
    expect(decideOperatorAction(plan, 'COMPENSATING', compensating, { action: 'terminate', compensate: false }).kind).toBe('apply');
  });

  it('allows both ways on a live run', () => {
    expect(entry('RUNNING', midRun, 'terminate')).toEqual({ action: 'terminate', allowed: true,
      variants: [{ compensate: true, allowed: true }, { compensate: false, allowed: true }] });
  });

  it('says compensate=false changes nothing on a TERMINATED run, where compensate=true is refused', () => {
    expect(entry('TERMINATED', done, 'terminate')).toMatchObject({ allowed: false, code: 'RUN_FINISHED' });
    expect(variants('TERMINATED', done)).toEqual([
      { compensate: true, allowed: false, code: 'RUN_FINISHED', reason: 'the run is TERMINATED' },
      { compensate: false, allowed: false, reason: 'the run is already TERMINATED' },
    ]);
  });

  it('says compensate=false is refused on a FAILED run, where compensate=true changes nothing', () => {
    expect(variants('FAILED', bFailed)).toEqual([
      { compensate: true, allowed: false, reason: 'the run is already FAILED' },
      { compensate: false, allowed: false, code: 'RUN_FINISHED', reason: 'the run is FAILED' },
    ]);
  });

  it('judges each variant as the action does, in every state', () => {
    for (const status of RUN_STATUSES) {
      for (const v of variants(status, midRun)!) {
        const verdict = decideOperatorAction(plan, status, midRun, { action: 'terminate', compensate: v.compensate });
        expect([status, v.compensate, v.allowed, v.code]).toEqual([status, v.compensate, verdict.kind === 'apply',
          verdict.kind === 'refused' ? verdict.code : undefined]);
      }
    }
  });
});
