import { ActionVerdict, decideOperatorAction, OperatorAction, stepsToRetryOrSkip } from './operator-action';
import type { Attempt, Plan, PlanStep } from './plan';
import type { RunStatus, StepAction, StepRunStatus } from './run-status';

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep =>
  ({ name, seq, undoable: true, retry: null, onFailure: 'pause', ...extra });
const at = (stepName: string, action: StepAction, status: StepRunStatus, attempt = 1, budgetStart?: number): Attempt =>
  ({ stepName, action, status, attempt, budgetStart });
const plan: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 1), step('c', 2)] };

const midRun = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'DISPATCHED')];
const bFailed = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED')];

/** The verdict in short: `apply → STATUS`, `unchanged`, or the refusal code. */
function short(v: ActionVerdict): string {
  if (v.kind === 'apply') return `apply → ${v.status}`;
  return v.kind === 'unchanged' ? 'unchanged' : v.code;
}

describe('decideOperatorAction: each action in each state', () => {
  // [status, action (retry and skip name step b), expected, attempts]
  const table: Array<[RunStatus, OperatorAction, string, Attempt[]]> = [
    ['RUNNING', 'terminate', 'apply → COMPENSATING', midRun],
    ['PAUSED', 'terminate', 'apply → COMPENSATING', midRun],
    ['WAITING_FOR_WORKERS', 'terminate', 'apply → COMPENSATING', []],
    ['COMPENSATING', 'terminate', 'unchanged', midRun],
    ['FAILED', 'terminate', 'unchanged', bFailed],
    ['COMPLETED', 'terminate', 'RUN_FINISHED', []],
    ['UNDOING', 'terminate', 'RUN_FINISHED', []],
    ['TERMINATED', 'terminate', 'RUN_FINISHED', []],

    ['RUNNING', 'pause', 'apply → PAUSED', midRun],
    ['PAUSED', 'pause', 'unchanged', midRun],
    ['WAITING_FOR_WORKERS', 'pause', 'RUN_NOT_RUNNING', []],
    ['COMPENSATING', 'pause', 'RUN_NOT_RUNNING', midRun],
    ['COMPLETED', 'pause', 'RUN_FINISHED', []],

    ['PAUSED', 'resume', 'apply → RUNNING', midRun],
    ['PAUSED', 'resume', 'RUN_HAS_FAILED_STEP', bFailed],
    ['RUNNING', 'resume', 'unchanged', midRun],
    ['COMPENSATING', 'resume', 'RUN_NOT_PAUSED', midRun],
    ['EXPIRED', 'resume', 'RUN_FINISHED', []],

    ['PAUSED', 'retry', 'apply → RUNNING', bFailed],
    ['RUNNING', 'retry', 'apply → RUNNING', [...bFailed, at('c', 'DO', 'DISPATCHED')]],
    ['PAUSED', 'retry', 'STEP_NOT_FAILED', midRun],
    ['RUNNING', 'retry', 'unchanged', [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('b', 'DO', 'DISPATCHED', 2, 2)]],
    ['COMPENSATING', 'retry', 'RUN_NOT_PAUSED', bFailed],
    ['FAILED', 'retry', 'RUN_FINISHED', bFailed],

    ['PAUSED', 'skip', 'apply → RUNNING', bFailed],
    ['RUNNING', 'skip', 'unchanged', [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('b', 'DO', 'SKIPPED', 2, 2)]],
    ['PAUSED', 'skip', 'STEP_NOT_FAILED', midRun],
    ['UNDOING', 'skip', 'RUN_FINISHED', bFailed],

    ['PAUSED', 'compensate', 'apply → COMPENSATING', bFailed],
    ['PAUSED', 'compensate', 'apply → COMPENSATING', midRun],
    ['COMPENSATING', 'compensate', 'unchanged', bFailed],
    ['RUNNING', 'compensate', 'RUN_NOT_PAUSED', midRun],
    ['COMPLETED', 'compensate', 'RUN_FINISHED', []],
  ];

  it.each(table)('%s: %s → %s', (status, action, expected, attempts) => {
    const stepName = action === 'retry' || action === 'skip' ? 'b' : undefined;
    expect(short(decideOperatorAction(plan, status, attempts, { action, stepName }))).toBe(expected);
  });

  describe('terminate without compensation', () => {
    it.each<[RunStatus, string]>([
      ['RUNNING', 'apply → TERMINATED'], ['PAUSED', 'apply → TERMINATED'], ['COMPENSATING', 'apply → TERMINATED'],
      ['TERMINATED', 'unchanged'], ['FAILED', 'RUN_FINISHED'], ['COMPLETED', 'RUN_FINISHED'],
    ])('%s → %s', (status, expected) => {
      expect(short(decideOperatorAction(plan, status, midRun, { action: 'terminate', compensate: false }))).toBe(expected);
    });
  });

  // A branch failed (onFailure: pause) while another goes on: the run is RUNNING, and a pause names the step it then waits on.
  it('pauses a RUNNING run with a failed branch naming that step, and one without naming none', () => {
    const failedBranch = [...bFailed, at('c', 'DO', 'DISPATCHED')];
    expect(decideOperatorAction(plan, 'RUNNING', failedBranch, { action: 'pause' })).toMatchObject({ status: 'PAUSED', failedStep: 'b' });
    expect(decideOperatorAction(plan, 'RUNNING', midRun, { action: 'pause' })).not.toHaveProperty('failedStep');
  });

  describe('retry and skip name their step', () => {
    const twoFailed = [at('a', 'DO', 'FAILED'), at('b', 'DO', 'FAILED')];

    it('gives a retry the next attempt number and a fresh budget starting there, and clears the failure', () => {
      const v = decideOperatorAction(plan, 'PAUSED', [...bFailed.slice(0, 1), at('b', 'DO', 'FAILED', 3)], { action: 'retry' });
      expect(v).toEqual({ kind: 'apply', status: 'RUNNING', stepName: 'b', clearsFailure: true,
        retry: { stepName: 'b', action: 'DO', attempt: 4, budgetStart: 4, delayMs: 0 } });
    });

    it('gives a skip the next attempt number', () => {
      const v = decideOperatorAction(plan, 'PAUSED', bFailed, { action: 'skip', stepName: 'b' });
      expect(v).toEqual({ kind: 'apply', status: 'RUNNING', stepName: 'b', skipAttempt: 2, clearsFailure: true });
    });

    it('needs the step named when several failed', () => {
      expect(short(decideOperatorAction(plan, 'PAUSED', twoFailed, { action: 'retry' }))).toBe('STEP_NAME_REQUIRED');
      expect(short(decideOperatorAction(plan, 'PAUSED', twoFailed, { action: 'retry', stepName: 'a' }))).toBe('apply → RUNNING');
    });

    it('refuses a step the template does not have', () => {
      expect(short(decideOperatorAction(plan, 'PAUSED', bFailed, { action: 'skip', stepName: 'zzz' }))).toBe('STEP_NOT_FOUND');
    });

    it('refuses a step that has not failed, even in a run with a failed step', () => {
      expect(short(decideOperatorAction(plan, 'PAUSED', bFailed, { action: 'retry', stepName: 'a' }))).toBe('STEP_NOT_FAILED');
      expect(short(decideOperatorAction(plan, 'PAUSED', bFailed, { action: 'skip', stepName: 'c' }))).toBe('STEP_NOT_FAILED');
    });

    it('says a retry was done already only when an operator retried, not when a voided retry was written anew', () => {
      const retried = [...bFailed, at('b', 'DO', 'DISPATCHED', 2, 2)];
      expect(decideOperatorAction(plan, 'RUNNING', retried, { action: 'retry', stepName: 'b' })).toMatchObject({ kind: 'unchanged' });
      const rewritten = [...bFailed.slice(0, 1), at('b', 'DO', 'FAILED'), at('b', 'DO', 'VOIDED', 2, 1), at('b', 'DO', 'DISPATCHED', 3, 2)];
      expect(short(decideOperatorAction(plan, 'RUNNING', rewritten, { action: 'retry', stepName: 'b' }))).toBe('STEP_NOT_FAILED');
    });

    it('takes a retry again once the fresh budget is spent too', () => {
      const again = [...bFailed, at('b', 'DO', 'FAILED', 2, 2)];
      expect(short(decideOperatorAction(plan, 'PAUSED', again, { action: 'retry' }))).toBe('apply → RUNNING');
    });

    it('takes a retry or skip for the attempt the operator saw once: a later attempt means it was taken since', () => {
      // The first of two requests for attempt 1 retried, and attempt 2 failed fast: the run is PAUSED on b again.
      const failedAgain = [...bFailed, at('b', 'DO', 'FAILED', 2, 2)];
      for (const action of ['retry', 'skip'] as const) {
        expect(decideOperatorAction(plan, 'PAUSED', failedAgain, { action, stepName: 'b', attempt: 1 }))
          .toEqual({ kind: 'unchanged', reason: 'step b has had attempt 2 since attempt 1' });
        expect(short(decideOperatorAction(plan, 'PAUSED', failedAgain, { action, stepName: 'b', attempt: 2 }))).toBe('apply → RUNNING');
        expect(decideOperatorAction(plan, 'PAUSED', failedAgain, { action, stepName: 'b', attempt: 3 }))
          .toEqual({ kind: 'refused', code: 'STEP_NOT_FAILED', reason: 'step b has no attempt 3 (its last is 2)' });
        // A step that never ran (a review found this a TypeError, a 500).
        expect(decideOperatorAction(plan, 'PAUSED', failedAgain, { action, stepName: 'c', attempt: 1 }))
          .toEqual({ kind: 'refused', code: 'STEP_NOT_FAILED', reason: 'step c has no attempt 1 (it has not run)' });
      }
    });

    it('asks for the step when an attempt without one was already acted on for another step (a click sent twice)', () => {
      // A retry of b from attempt 1 (no step named) succeeded; c then failed at its attempt 1. The same click again:
      const cFailed = [...bFailed, at('b', 'DO', 'SUCCEEDED', 2, 2), at('c', 'DO', 'FAILED')];
      const bSkipped = [...bFailed, at('b', 'DO', 'SKIPPED', 2), at('c', 'DO', 'FAILED')];
      for (const attempts of [cFailed, bSkipped]) {
        for (const action of ['retry', 'skip'] as const) {
          expect(decideOperatorAction(plan, 'PAUSED', attempts, { action, attempt: 1 })).toEqual({ kind: 'refused', code: 'STEP_NAME_REQUIRED',
            reason: `step b was retried or skipped from attempt 1 since: name the step to ${action} c` });
          // Named, or without the attempt it saw, the request is for c.
          expect(short(decideOperatorAction(plan, 'PAUSED', attempts, { action, stepName: 'c', attempt: 1 }))).toBe('apply → RUNNING');
          expect(short(decideOperatorAction(plan, 'PAUSED', attempts, { action }))).toBe('apply → RUNNING');
        }
      }
      // b's own retries by the engine (budgetStart 1) are no operator's: an attempt 1 without a step is c's.
      const engineRetried = [...bFailed.slice(0, -1), at('b', 'DO', 'FAILED', 1, 1), at('b', 'DO', 'SUCCEEDED', 2, 1), at('c', 'DO', 'FAILED')];
      expect(short(decideOperatorAction(plan, 'PAUSED', engineRetried, { action: 'retry', attempt: 1 }))).toBe('apply → RUNNING');
    });

    it('answers the same request again as unchanged after the first moved the run on, to its end or to compensating', () => {
      const done = [...bFailed, at('b', 'DO', 'SUCCEEDED', 2, 2), at('c', 'DO', 'SUCCEEDED')];
      for (const status of ['COMPLETED', 'COMPENSATING'] as const) {
        for (const action of ['retry', 'skip'] as const) {
          expect(decideOperatorAction(plan, status, done, { action, stepName: 'b', attempt: 1 }))
            .toEqual({ kind: 'unchanged', reason: 'step b has had attempt 2 since attempt 1' });
        }
      }
      // Without the attempt it saw, the request is judged on the run as it is now.
      expect(short(decideOperatorAction(plan, 'COMPLETED', done, { action: 'retry', stepName: 'b' }))).toBe('RUN_FINISHED');
    });

    it('refuses a retry or skip while another failed step would unwind the run: the step would run, then be undone', () => {
      // A paused run (an operator's or a deadline's pause): b (onFailure: pause) and c (compensate) both failed.
      const mixed: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 1), step('c', 1, { onFailure: 'compensate' })] };
      const both = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('c', 'DO', 'FAILED')];
      for (const action of ['retry', 'skip'] as const) {
        expect(decideOperatorAction(mixed, 'PAUSED', both, { action, stepName: 'b' })).toEqual({ kind: 'refused', code: 'RUN_HAS_FAILED_STEP',
          reason: 'step c failed and unwinds the run once it moves on: retry or skip it first, or compensate the run' });
        expect(short(decideOperatorAction(mixed, 'PAUSED', both, { action, stepName: 'c' }))).toBe('apply → RUNNING');
      }
      expect(stepsToRetryOrSkip(mixed, both)).toEqual(['c']);
      // Two such steps: neither may go first.
      const twoFatal: Plan = { type: 'parallel', steps: mixed.steps.map((x) => ({ ...x, onFailure: 'compensate' as const })) };
      expect(short(decideOperatorAction(twoFatal, 'PAUSED', both, { action: 'retry', stepName: 'c' }))).toBe('RUN_HAS_FAILED_STEP');
      expect(stepsToRetryOrSkip(twoFatal, both)).toEqual([]);
    });
  });
});
