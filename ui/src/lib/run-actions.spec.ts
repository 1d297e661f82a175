import { describe, expect, it } from 'vitest';
import type { ActionAvailability, RunDetail, StepAttempt, TerminateVariant } from '../api/types';
import { clockTime } from './time';
import {
  actionOutcome, actionRequest, actionableSteps, canAct, defaultStep, endedNote, lastDoAttempt, runActions, terminateChoices, unavailable, UNREACHABLE,
  waitLines,
} from './run-actions';

const att = (stepName: string, seq: number, status: StepAttempt['status'], action: 'DO' | 'UNDO' = 'DO'): StepAttempt => ({
  stepName, seq, action, attempt: 1, commandId: `${stepName}${action}${status}`, budgetStart: 1, status, handlerType: 'worker', target: null, output: null, error: null,
  dispatchedAt: '2026-12-01T00:00:00Z', deadlineAt: '2026-12-01T00:01:00Z', completedAt: null, lastHeartbeatAt: null,
});
const run = (status: RunDetail['status'], more: Partial<RunDetail> = {}): RunDetail => ({
  flowId: 'f', orchName: 'o', templateVersion: 1, status, failedStep: null, error: null, correlationId: 'c',
  createdAt: '', updatedAt: '', finishedAt: null, contentType: 'application/json', payload: {}, payloadEncoding: 'json',
  steps: [att('reserve', 1, 'SUCCEEDED'), att('charge', 2, 'SUCCEEDED'), att('ship', 3, 'FAILED')], events: [],
  deadlineAt: null, onDeadline: null, deadlineRemainingSeconds: null, allowedActions: [], actions: [], ...more,
});
const byName = (r: RunDetail) => Object.fromEntries(runActions(r).map((a) => [a.action, a]));
/** `actions` entries as the engine sends them (src/engine/core/allowed-actions.ts). */
const allow = (action: ActionAvailability['action'], more: Partial<ActionAvailability> = {}): ActionAvailability => ({ action, allowed: true, ...more });
const deny = (action: ActionAvailability['action'], reason: string, code?: ActionAvailability['code']): ActionAvailability => ({ action, allowed: false, ...(code ? { code } : {}), reason });
const undoRefused = (status: string, because = 'it is still running') =>
  deny('undo', `the run is ${status}: cannot undo it because ${because}`, 'RUN_NOT_UNDOABLE');
const finished = (status: string) => [deny('terminate', `the run is ${status}`, 'RUN_FINISHED'), allow('undo')];

describe('runActions', () => {
  it("follows the engine's undo entry: allowed on a finished run, refused with the API's reason on one still running", () => {
    const a = byName(run('COMPLETED', { actions: finished('COMPLETED') }));
    expect(a.undo.enabled).toBe(true);
    expect(a.terminate).toMatchObject({ enabled: false, reason: 'the run is COMPLETED' });
    expect(byName(run('RUNNING', { actions: [undoRefused('RUNNING')] })).undo)
      .toMatchObject({ enabled: false, reason: 'the run is RUNNING: cannot undo it because it is still running' });
  });

  it('offers nothing the engine does not report, undo included: it never guesses from the status', () => {
    const a = byName(run('COMPLETED'));
    expect([a.undo.enabled, a.undo.reason]).toEqual([false, 'not possible now']);
    // The operator actions by name (allowedActions) leave undo out: only `actions` counts.
    expect(byName(run('COMPLETED', { allowedActions: [], actions: [allow('undo')] })).undo.enabled).toBe(true);
    expect(byName(run('RUNNING', { allowedActions: ['pause'] })).pause.enabled).toBe(false);
  });

  it('names the steps an undo will undo, and claims no order the template may not have', () => {
    const undo = byName(run('COMPLETED', { actions: finished('COMPLETED') })).undo;
    expect(undo.effect).toContain('The succeeded steps are undone: reserve, charge.');
    expect(undo.effect).not.toContain('reverse order');
    expect(undo.effect).toContain('a later stage of a sequential template, a step that depends on it in a DAG');
    expect(undo.effect).toContain("a parallel template's are undone together");
    expect(byName(run('PAUSED')).compensate.effect).not.toContain('reverse order');
  });

  it('leaves steps declared undo: false out of what an undo will do', () => {
    const done = run('COMPLETED', { steps: [att('reserve', 1, 'SUCCEEDED'), att('charge', 2, 'SUCCEEDED'), att('ship', 3, 'SUCCEEDED')] });
    const undo = runActions(done, new Set(['ship'])).find((a) => a.action === 'undo')!;
    expect(undo.effect).toContain('undone: reserve, charge; ship declares undo: false and stays as done.');
  });

  it('names the retry of failed undos', () => {
    const a = byName(run('UNDO_FAILED', { actions: finished('UNDO_FAILED') }));
    expect(a.undo).toMatchObject({ enabled: true, label: 'Retry failed undos' });
  });

  it("shows the engine's own reason for a disabled action from actions[], not a guess from the status", () => {
    const a = byName(run('PAUSED', {
      allowedActions: ['retry', 'skip', 'terminate'],
      actions: [
        { action: 'resume', allowed: false, code: 'RUN_HAS_FAILED_STEP', reason: 'step ship failed: retry or skip it first' },
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
});

describe('terminate', () => {
  const ways = (r: RunDetail, noUndo?: Set<string>) => Object.fromEntries(terminateChoices(r, noUndo).map((c) => [c.mode, c]));
  /** The engine's terminate entry, with each compensate value's answer (`variants`: true, then false). */
  const terminate = (top: Partial<ActionAvailability>, undo: Partial<TerminateVariant>, leave: Partial<TerminateVariant>): ActionAvailability[] => [{
    action: 'terminate', allowed: false, ...top,
    variants: [{ compensate: true, allowed: false, ...undo }, { compensate: false, allowed: false, ...leave }],
  }];
  const live = terminate({ allowed: true }, { allowed: true }, { allowed: true });

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
    const w = ways(run('RUNNING', { actions: live }));
    expect(w.leave).toMatchObject({ enabled: true, label: 'Terminate' });
    expect(w.leave.effect).toContain('nothing is undone');
    expect(w.leave.effect).toContain('ends TERMINATED with every effect left in place');
    expect(w.undo).toMatchObject({ enabled: true, label: 'Terminate and undo' });
    expect(w.undo.effect).toContain('The succeeded steps are undone: reserve, charge.');
    expect(w.undo.effect).not.toContain('reverse order');
    expect(w.undo.effect).toContain('ends FAILED, or COMPENSATION_FAILED if an undo fails');
    expect(w.undo.effect).not.toContain('nothing is undone');
    // The button's own text promises neither way: the confirmation asks.
    expect(byName(run('RUNNING')).terminate.effect).not.toContain('nothing is undone');
  });

  it('leaves steps declared undo: false out of what terminating with undo does', () => {
    expect(ways(run('PAUSED'), new Set(['reserve'])).undo.effect).toContain('undone: charge; reserve declares undo: false and stays as done.');
  });

  it('offers only leaving the rest in place on a COMPENSATING run, as the engine judges each compensate value', () => {
    const r = run('COMPENSATING', {
      actions: terminate({ allowed: true, compensate: false, reason: 'only with compensate=false: the run is already COMPENSATING' },
        { reason: 'the run is already COMPENSATING' }, { allowed: true }),
    });
    const w = ways(r);
    expect(w.leave.enabled).toBe(true);
    expect(w.leave.effect).toContain('The compensation stops now');
    expect(w.undo).toMatchObject({ enabled: false, reason: 'the run is already COMPENSATING' });
    expect(byName(r).terminate).toMatchObject({ enabled: true, reason: null });
  });

  it("gives each way its own reason on a finished run: the engine's answer to each compensate value", () => {
    const terminated = ways(run('TERMINATED', { actions: terminate({ code: 'RUN_FINISHED', reason: 'the run is TERMINATED' },
      { code: 'RUN_FINISHED', reason: 'the run is TERMINATED' }, { reason: 'the run is already TERMINATED' }) }));
    expect(terminated.leave).toMatchObject({ enabled: false, reason: 'the run is already TERMINATED' });
    expect(terminated.undo).toMatchObject({ enabled: false, reason: 'the run is TERMINATED' });
    const failed = ways(run('FAILED', { actions: terminate({ reason: 'the run is already FAILED' },
      { reason: 'the run is already FAILED' }, { code: 'RUN_FINISHED', reason: 'the run is FAILED' }) }));
    expect(failed.leave).toMatchObject({ enabled: false, reason: 'the run is FAILED' });
    expect(failed.undo).toMatchObject({ enabled: false, reason: 'the run is already FAILED' });
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
    expect(note(run('TERMINATED', { actions: [deny('terminate', 'the run is TERMINATED', 'RUN_FINISHED'), undoRefused('TERMINATED', 'it was terminated')] })))
      .toBe('This run has ended: no action applies.');
    expect(note(run('COMPLETED', { actions: finished('COMPLETED') }))).toBe('This run has ended: only “Undo” applies.');
    expect(note(run('UNDO_FAILED', { actions: finished('UNDO_FAILED') }))).toBe('This run has ended: only “Retry failed undos” applies.');
  });

  it('says nothing while the run is unfinished: its buttons follow its state', () => {
    expect(note(run('PAUSED'))).toBeNull();
    expect(note(run('UNDOING'))).toBeNull();
  });
});

describe('canAct', () => {
  it('hides actions from viewers only', () => {
    expect(canAct(null)).toBe(true);
    expect(canAct({ id: 'k', kind: 'api-key', roles: ['viewer'], service: null })).toBe(false);
    expect(canAct({ id: 'k', kind: 'api-key', roles: ['viewer', 'operator'], service: null })).toBe(true);
    expect(canAct({ id: 'k', kind: 'jwt', roles: ['admin'], service: null })).toBe(true);
  });
});

describe('actionableSteps', () => {
  const attempt = (stepName: string, n: number, status: StepAttempt['status']): StepAttempt => ({ ...att(stepName, 1, status), attempt: n, commandId: `${stepName}-${n}` });
  const listing = (steps?: string[]): ActionAvailability[] => [
    { action: 'retry', allowed: steps !== undefined, ...(steps ? { steps } : {}) }, { action: 'skip', allowed: steps !== undefined, ...(steps ? { steps } : {}) },
  ];

  it('offers the steps the engine lists with retry and skip, whatever the attempts look like here', () => {
    const parallel = run('RUNNING', { steps: [attempt('reserve', 1, 'DISPATCHED'), attempt('ship', 1, 'FAILED'), attempt('notify', 1, 'FAILED')], actions: listing(['ship']) });
    expect(actionableSteps(parallel)).toEqual(['ship']);
    expect(actionableSteps(run('RUNNING', { actions: listing(undefined) }))).toEqual([]);
  });

  it('offers none the engine does not list, whatever the run names as failed', () => {
    expect(actionableSteps(run('PAUSED', { failedStep: 'ship' }))).toEqual([]);
    expect(actionableSteps(run('RUNNING', { steps: [attempt('ship', 1, 'FAILED_FINAL')] }))).toEqual([]);
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
    const retry = byName(run('RUNNING', { actions: [allow('retry', { steps: ['ship'] })] })).retry;
    expect(unavailable(retry, ['ship'])).toBeNull();
    const moved = byName(run('COMPLETED', { actions: [deny('retry', 'the run is COMPLETED', 'RUN_FINISHED')] })).retry;
    expect(unavailable(moved, ['ship'])).toBe('the run is COMPLETED');
  });

  it('disables retry and skip when no step has failed, and leaves the other actions alone', () => {
    const a = byName(run('RUNNING', { actions: [allow('retry'), allow('pause')] }));
    expect(unavailable(a.retry, [])).toBe('no step has failed');
    expect(unavailable(a.pause, [])).toBeNull();
  });

  it('disables every action while Baton is unreachable, even one the run allows, and gives them back once it answers', () => {
    const actions = runActions(run('PAUSED', { failedStep: 'ship', actions: [allow('retry'), allow('skip'), allow('compensate'), allow('terminate')] }));
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
      { action: 'compensate', allowed: true }, { action: 'terminate', allowed: true }, undoRefused('PAUSED'),
    ],
  });

  it("says why each disabled action of an unfinished run waits, in the engine's words, one line per reason", () => {
    expect(lines(paused)).toEqual([
      { actions: ['undo'], text: '“Undo”: the run is PAUSED: cannot undo it because it is still running.' },
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
        { action: 'terminate', allowed: true }, undoRefused('RUNNING'),
      ],
    });
    expect(lines(running).map((l) => l.text)).toEqual([
      '“Undo”: the run is RUNNING: cannot undo it because it is still running.', '“Retry”, “Skip”: no step has failed.', '“Resume”: the run is already RUNNING.',
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

  it("says why undo waits in the engine's words: still running, or being undone already", () => {
    const undoing = run('UNDOING', { actions: [undoRefused('UNDOING', 'it is already undone or being undone')] });
    expect(lines(undoing)).toContainEqual({ actions: ['undo'], text: '“Undo”: the run is UNDOING: cannot undo it because it is already undone or being undone.' });
  });
});
