import { describe, expect, it } from 'vitest';
import type { RunDetail, StepAttempt } from '../api/types';
import { clockTime } from './time';
import {
  actionOutcome, actionRequest, actionableSteps, canAct, defaultStep, endedNote, lastDoAttempt, runActions, terminateChoices, unavailable, UNREACHABLE,
  waitLines,
} from './run-actions';

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

  it("shows the engine's own reason for a disabled action from actions[], not a guess from the status", () => {
    const a = byName(run('PAUSED', {
      allowedActions: ['retry', 'skip', 'terminate'],
      actions: [
        { action: 'resume', allowed: false, code: 'STEP_FAILED', reason: 'step ship failed: retry or skip it first' },
        { action: 'retry', allowed: true, steps: ['ship'] }, { action: 'skip', allowed: true, steps: ['ship'] },
        { action: 'terminate', allowed: true },
      ],
    }));
    expect(a.resume).toMatchObject({ enabled: false, reason: 'step ship failed: retry or skip it first' });
    expect(a.pause.enabled).toBe(false);
    expect([a.retry.enabled, a.terminate.enabled]).toEqual([true, true]);
  });

  it('says a skipped step is never undone', () => {
    expect(byName(run('PAUSED')).skip.effect).toContain('A skipped step is never undone');
  });

  it('follows allowedActions with reasons', () => {
    const a = byName(run('RUNNING', { allowedActions: [{ action: 'skip', allowed: false, reason: 'no step in flight' }, { action: 'retry', allowed: true }] }));
    expect(a.skip).toMatchObject({ enabled: false, reason: 'no step in flight' });
    expect(a.retry.enabled).toBe(true);
  });
});

describe('terminate', () => {
  const ways = (r: RunDetail, noUndo?: Set<string>) => Object.fromEntries(terminateChoices(r, noUndo).map((c) => [c.mode, c]));

  it('spells out compensate=false to leave the effects in place: the API undoes them when it is left out', () => {
    const req = actionRequest('f', 'terminate', { terminate: 'leave', reason: 'order cancelled' });
    expect(req.path).toBe('/api/orchestration/runs/f/terminate?compensate=false');
    expect(req.body).toEqual({ reason: 'order cancelled' });
    expect(ways(run('RUNNING')).leave.compensate).toBe(false);
  });

  it('sends compensate=true to undo what succeeded', () => {
    expect(actionRequest('f', 'terminate', { terminate: 'undo' }).path).toBe('/api/orchestration/runs/f/terminate?compensate=true');
    expect(ways(run('RUNNING')).undo.compensate).toBe(true);
  });

  it('never leaves the choice to the API default', () => {
    expect(() => actionRequest('f', 'terminate', { reason: 'x' })).toThrow('Choose whether to undo what succeeded.');
  });

  it('says what each way does, and where the run ends', () => {
    const w = ways(run('RUNNING', { allowedActions: ['terminate'] }));
    expect(w.leave).toMatchObject({ enabled: true, label: 'Terminate' });
    expect(w.leave.effect).toContain('nothing is undone');
    expect(w.leave.effect).toContain('ends TERMINATED with every effect left in place');
    expect(w.undo).toMatchObject({ enabled: true, label: 'Terminate and undo' });
    expect(w.undo.effect).toContain('undone in reverse order: charge, then reserve.');
    expect(w.undo.effect).toContain('ends FAILED, or COMPENSATION_FAILED if an undo fails');
    expect(w.undo.effect).not.toContain('nothing is undone');
    // The button's own text promises neither way: the confirmation asks.
    expect(byName(run('RUNNING')).terminate.effect).not.toContain('nothing is undone');
  });

  it('leaves steps declared undo: false out of what terminating with undo does', () => {
    expect(ways(run('PAUSED'), new Set(['reserve'])).undo.effect).toContain('reverse order: charge; reserve declares undo: false and stays as done.');
  });

  it('offers only leaving the rest in place on a COMPENSATING run, where the engine allows terminate only with compensate=false', () => {
    const r = run('COMPENSATING', { allowedActions: ['terminate'] });
    const w = ways(r);
    expect(w.leave.enabled).toBe(true);
    expect(w.leave.effect).toContain('The compensation stops now');
    expect(w.undo).toMatchObject({ enabled: false, reason: 'the run is already COMPENSATING: what succeeded is being undone' });
    expect(byName(r).terminate).toMatchObject({ enabled: true, reason: null });
  });

  it('offers neither way on a finished run', () => {
    const w = ways(run('COMPLETED', { allowedActions: [{ action: 'terminate', allowed: false, reason: 'the run is COMPLETED' }] }));
    expect(w.leave).toMatchObject({ enabled: false, reason: 'the run is COMPLETED' });
    expect(w.undo).toMatchObject({ enabled: false, reason: 'the run is COMPLETED' });
  });
});

describe('actionRequest', () => {
  it('sends each endpoint only what it takes', () => {
    expect(actionRequest('f', 'undo', { reason: 'r' })).toEqual({ path: '/api/orchestration/undo/f', body: {} });
    expect(actionRequest('f', 'pause', { stepName: 'ship', reason: 'r' })).toEqual({ path: '/api/orchestration/runs/f/pause', body: { reason: 'r' } });
    expect(actionRequest('f', 'skip', { stepName: 'ship', output: { a: 1 } }))
      .toEqual({ path: '/api/orchestration/runs/f/skip', body: { stepName: 'ship', output: { a: 1 } } });
    expect(actionRequest('f', 'retry', { stepName: 'ship', output: { a: 1 } }).body).toEqual({ stepName: 'ship' });
    expect(actionRequest('f', 'retry', { stepName: 'ship', attempt: 3 }).body).toEqual({ stepName: 'ship', attempt: 3 });
    expect(actionRequest('f', 'pause', { stepName: 'ship', attempt: 3 }).body).toEqual({});
  });

  it('names the attempt a retry or skip is for: the step\'s last DO attempt shown', () => {
    const steps = [{ stepName: 'ship', action: 'DO', attempt: 1 }, { stepName: 'ship', action: 'DO', attempt: 2 }, { stepName: 'ship', action: 'UNDO', attempt: 5 },
      { stepName: 'pack', action: 'DO', attempt: 1 }];
    expect(lastDoAttempt({ steps } as never, 'ship')).toBe(2);
    expect(lastDoAttempt({ steps } as never, 'bill')).toBeUndefined();
  });
});

describe('actionOutcome', () => {
  const at = new Date(2026, 11, 1, 13, 36, 2).getTime();
  // Written as the console writes every time, in the locale the test runs in ("1:36:02 PM" in en-US).
  const when = clockTime(at);

  it('tells the operator when the action changed nothing', () => {
    expect(actionOutcome('Terminate and undo', { flowId: 'f', action: 'terminate', status: 'COMPENSATING', changed: false }, at)).toEqual({
      changed: false, message: `Nothing changed: at ${when} the run was already where “Terminate and undo” takes it (it was COMPENSATING).`,
    });
  });

  it('says where an action took the run, and when, so that it does not contradict the badge once the run moves on', () => {
    expect(actionOutcome('Retry', { flowId: 'f', action: 'retry', status: 'RUNNING', changed: true }, at))
      .toEqual({ changed: true, message: `Retry accepted: at ${when} the run was RUNNING.` });
    // Undo answers {flowId, status}, without changed.
    expect(actionOutcome('Undo', { flowId: 'f', status: 'UNDOING' }, at)).toEqual({ changed: true, message: `Undo accepted: at ${when} the run was UNDOING.` });
  });
});

describe('endedNote', () => {
  const note = (r: RunDetail) => endedNote(r, runActions(r));

  it('says a finished run takes no action, or names the one that still applies', () => {
    expect(note(run('TERMINATED'))).toBe('This run has ended: no action applies.');
    expect(note(run('COMPLETED'))).toBe('This run has ended: only “Undo” applies.');
    expect(note(run('UNDO_FAILED'))).toBe('This run has ended: only “Retry failed undos” applies.');
  });

  it('says nothing while the run is unfinished: its buttons follow its state', () => {
    expect(note(run('PAUSED'))).toBeNull();
    expect(note(run('UNDOING'))).toBeNull();
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
  const attempt = (stepName: string, n: number, status: string): StepAttempt => ({ ...att(stepName, 1, status), attempt: n, commandId: `${stepName}-${n}` });
  const listing = (steps?: string[]) => [
    { action: 'retry', allowed: steps !== undefined, ...(steps ? { steps } : {}) }, { action: 'skip', allowed: steps !== undefined, ...(steps ? { steps } : {}) },
  ];

  it('offers the steps the engine lists with retry and skip, whatever the attempts look like here', () => {
    const parallel = run('RUNNING', { steps: [attempt('reserve', 1, 'DISPATCHED'), attempt('ship', 1, 'FAILED'), attempt('notify', 1, 'FAILED')], actions: listing(['ship']) });
    expect(actionableSteps(parallel)).toEqual(['ship']);
    expect(actionableSteps(run('RUNNING', { actions: listing(undefined) }))).toEqual([]);
  });

  it('from an engine that lists none: the step the run names failed, and final failures, newest attempt by number', () => {
    expect(actionableSteps(run('RUNNING'))).toEqual([]);
    expect(actionableSteps(run('PAUSED', { failedStep: 'ship' }))).toEqual(['ship']);
    expect(actionableSteps(run('RUNNING', { steps: [attempt('ship', 1, 'FAILED_FINAL'), attempt('notify', 1, 'DISPATCHED')] }))).toEqual(['ship']);
    expect(actionableSteps(run('PAUSED', { failedStep: 'ship', steps: [attempt('ship', 2, 'FAILED'), attempt('ship', 1, 'SUCCEEDED')] }))).toEqual(['ship']);
    expect(actionableSteps(run('COMPENSATING', { steps: [attempt('ship', 1, 'FAILED_FINAL')] }))).toEqual([]);
  });
});

describe('defaultStep', () => {
  it('is the step the run names as failed when it is listed, else the first listed', () => {
    expect(defaultStep(run('PAUSED', { failedStep: 'ship' }), ['charge', 'ship'])).toBe('ship');
    expect(defaultStep(run('RUNNING'), ['charge', 'ship'])).toBe('charge');
    expect(defaultStep(run('RUNNING', { failedStep: 'gone' }), [])).toBe('');
  });
});

describe('unavailable', () => {
  it('says why once the run moved on while the dialog was open, so its confirm button is disabled', () => {
    const retry = byName(run('RUNNING', { allowedActions: ['retry'] })).retry;
    expect(unavailable(retry, ['ship'])).toBeNull();
    const moved = byName(run('COMPLETED', { allowedActions: [{ action: 'retry', allowed: false, reason: 'the run is COMPLETED' }] })).retry;
    expect(unavailable(moved, ['ship'])).toBe('the run is COMPLETED');
  });

  it('disables retry and skip when no step has failed, and leaves the other actions alone', () => {
    const a = byName(run('RUNNING', { allowedActions: ['retry', 'pause'] }));
    expect(unavailable(a.retry, [])).toBe('no step has failed');
    expect(unavailable(a.pause, [])).toBeNull();
  });

  it('disables every action while Baton is unreachable, even one the run allows, and gives them back once it answers', () => {
    const actions = runActions(run('PAUSED', { failedStep: 'ship', allowedActions: ['retry', 'skip', 'compensate', 'terminate'] }));
    expect(actions.map((a) => unavailable(a, ['ship'], false))).toEqual(actions.map(() => UNREACHABLE));
    expect(unavailable(actions.find((a) => a.action === 'retry')!, ['ship'], true)).toBeNull();
  });
});

describe('waitLines', () => {
  const lines = (r: RunDetail, reachable = true) => waitLines(r, runActions(r), actionableSteps(r), reachable);
  // As the engine judges a run paused on a failed step, and a running one with nothing failed.
  const paused = run('PAUSED', {
    failedStep: 'ship', actions: [
      { action: 'retry', allowed: true, steps: ['ship'] }, { action: 'skip', allowed: true, steps: ['ship'] },
      { action: 'pause', allowed: false, reason: 'the run is already PAUSED' },
      { action: 'resume', allowed: false, code: 'RUN_HAS_FAILED_STEP', reason: 'step ship failed: retry it, skip it, or compensate the run' },
      { action: 'compensate', allowed: true }, { action: 'terminate', allowed: true },
    ],
  });

  it("says why each disabled action of an unfinished run waits, in the engine's words, one line per reason", () => {
    expect(lines(paused)).toEqual([
      { actions: ['undo'], text: '“Undo”: only once the run has ended.' },
      { actions: ['pause'], text: '“Pause”: the run is already PAUSED.' },
      { actions: ['resume'], text: '“Resume”: step ship failed: retry it, skip it, or compensate the run.' },
    ]);
  });

  it('names together the actions held back for one reason: retry and skip when no step has failed', () => {
    const running = run('RUNNING', {
      steps: [att('reserve', 1, 'SUCCEEDED')], actions: [
        { action: 'retry', allowed: false, code: 'STEP_NOT_FAILED', reason: 'no step has failed' }, { action: 'skip', allowed: false, code: 'STEP_NOT_FAILED', reason: 'no step has failed' },
        { action: 'pause', allowed: true }, { action: 'resume', allowed: false, reason: 'the run is already RUNNING' },
        { action: 'compensate', allowed: false, code: 'RUN_NOT_PAUSED', reason: 'only a PAUSED run can be compensated on request; the run is RUNNING' },
        { action: 'terminate', allowed: true },
      ],
    });
    expect(lines(running).map((l) => l.text)).toEqual([
      '“Undo”: only once the run has ended.', '“Retry”, “Skip”: no step has failed.', '“Resume”: the run is already RUNNING.',
      '“Compensate”: only a PAUSED run can be compensated on request; the run is RUNNING.',
    ]);
  });

  it('says once, for all of them, that nothing can be sent while Baton is unreachable, a finished run included', () => {
    const all = ['undo', 'retry', 'skip', 'pause', 'resume', 'compensate', 'terminate'];
    expect(lines(paused, false)).toEqual([{ actions: all, text: `${UNREACHABLE}.` }]);
    expect(lines(run('COMPLETED'), false)).toEqual([{ actions: all, text: `${UNREACHABLE}.` }]);
  });

  it("leaves a finished run's to its note (endedNote), and says nothing when every action applies", () => {
    expect(lines(run('COMPLETED'))).toEqual([]);
    const free = run('PAUSED', { failedStep: 'ship' });
    const open = runActions(free).map((a) => ({ ...a, enabled: true, reason: null }));
    expect(waitLines(free, open, ['ship'], true)).toEqual([]);
  });

  it('says undo waits for the run to end, or that it is being undone already', () => {
    expect(byName(run('RUNNING')).undo.reason).toBe('only once the run has ended');
    expect(byName(run('UNDOING')).undo.reason).toBe('the run is already being undone');
    expect(byName(run('TERMINATED')).undo.reason).toBe('not possible while the run is TERMINATED');
  });
});
