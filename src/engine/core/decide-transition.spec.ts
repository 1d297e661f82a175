import { decideTransition } from './decide-transition';
import type { Attempt, Plan, PlanStep } from './plan';
import type { StepAction, StepRunStatus } from './run-status';
import { VOID_MARGIN_MS } from './void-waiting';

const NOW = Date.parse('2026-12-04T00:00:00Z');

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep =>
  ({ name, seq, undoable: true, retry: null, ...extra });
const seqPlan: Plan = { type: 'sequential', steps: [step('a', 1), step('b', 2), step('c', 3)] };
const parPlan: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 2), step('c', 3)] };
const at = (stepName: string, action: StepAction, status: StepRunStatus, attempt = 1): Attempt =>
  ({ stepName, action, status, attempt });
const names = (t: { dispatch: { stepName: string; action: string; attempt: number }[] }) =>
  t.dispatch.map((d) => `${d.action}:${d.stepName}#${d.attempt}`);

describe('decideTransition', () => {
  describe('sequential', () => {
    it('starts with the first stage only', () => {
      const t = decideTransition(seqPlan, 'RUNNING', [], NOW);
      expect([t.status, names(t)]).toEqual(['RUNNING', ['DO:a#1']]);
    });

    it('runs steps sharing a seq together, and waits for the whole stage', () => {
      const plan: Plan = { type: 'sequential', steps: [step('a', 1), step('b', 1), step('c', 2)] };
      expect(names(decideTransition(plan, 'RUNNING', [], NOW))).toEqual(['DO:a#1', 'DO:b#1']);
      const half = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'DISPATCHED')];
      expect(names(decideTransition(plan, 'RUNNING', half, NOW))).toEqual([]);
      const whole = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED')];
      expect(names(decideTransition(plan, 'RUNNING', whole, NOW))).toEqual(['DO:c#1']);
    });

    it('moves to the next step when one succeeds, and completes after the last', () => {
      const t = decideTransition(seqPlan, 'RUNNING', [at('a', 'DO', 'SUCCEEDED')], NOW);
      expect(names(t)).toEqual(['DO:b#1']);
      const all = ['a', 'b', 'c'].map((n) => at(n, 'DO', 'SUCCEEDED'));
      expect(decideTransition(seqPlan, 'RUNNING', all, NOW)).toEqual({ status: 'COMPLETED', dispatch: [] });
    });

    it('compensates in reverse order, one stage at a time', () => {
      const attempts = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'FAILED')];
      const t1 = decideTransition(seqPlan, 'RUNNING', attempts, NOW);
      expect([t1.status, t1.failedStep, names(t1)]).toEqual(['COMPENSATING', 'c', ['UNDO:b#1']]);
      const t2 = decideTransition(seqPlan, 'COMPENSATING', [...attempts, at('b', 'UNDO', 'SUCCEEDED')], NOW);
      expect(names(t2)).toEqual(['UNDO:a#1']);
      const t3 = decideTransition(seqPlan, 'COMPENSATING',
        [...attempts, at('b', 'UNDO', 'SUCCEEDED'), at('a', 'UNDO', 'SUCCEEDED')], NOW);
      expect(t3).toEqual({ status: 'FAILED', dispatch: [] });
    });

    it('on a PAUSED run, names a step that failed in flight and sends nothing: not its undos, not the next step', () => {
      const failed = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED')];
      expect(decideTransition(seqPlan, 'PAUSED', failed, NOW)).toEqual({ status: 'PAUSED', dispatch: [], failedStep: 'b' });
      // One with attempts left is retried once the run is resumed: nothing to name yet.
      const retrying = { ...seqPlan, steps: [step('a', 1), step('b', 2, { retry: { maxAttempts: 2, backoff: 'fixed', initialDelaySeconds: 1, maxDelaySeconds: 1 } }), step('c', 3)] };
      expect(decideTransition(retrying, 'PAUSED', failed, NOW)).toEqual({ status: 'PAUSED', dispatch: [] });
    });

    it('fails at once when the first step fails: nothing to undo', () => {
      expect(decideTransition(seqPlan, 'RUNNING', [at('a', 'DO', 'FAILED')], NOW).status).toBe('FAILED');
    });

    it('skips steps that declare no undo', () => {
      const plan: Plan = { type: 'sequential', steps: [step('a', 1), step('b', 2, { undoable: false }), step('c', 3)] };
      const attempts = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'FAILED')];
      expect(names(decideTransition(plan, 'RUNNING', attempts, NOW))).toEqual(['UNDO:a#1']);
    });

    it('records a failed undo and still runs the rest', () => {
      const attempts = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'FAILED'),
        at('b', 'UNDO', 'FAILED')];
      expect(names(decideTransition(seqPlan, 'COMPENSATING', attempts, NOW))).toEqual(['UNDO:a#1']);
      const end = decideTransition(seqPlan, 'COMPENSATING', [...attempts, at('a', 'UNDO', 'SUCCEEDED')], NOW);
      expect(end.status).toBe('COMPENSATION_FAILED');
    });
  });

  describe('parallel', () => {
    it('starts every step at once and completes when all succeeded', () => {
      expect(names(decideTransition(parPlan, 'RUNNING', [], NOW))).toEqual(['DO:a#1', 'DO:b#1', 'DO:c#1']);
      const all = ['a', 'b', 'c'].map((n) => at(n, 'DO', 'SUCCEEDED'));
      expect(decideTransition(parPlan, 'RUNNING', all, NOW).status).toBe('COMPLETED');
    });

    it('lets steps in flight finish, then undoes every success at once', () => {
      const running = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('c', 'DO', 'DISPATCHED')];
      const t1 = decideTransition(parPlan, 'RUNNING', running, NOW);
      expect([t1.status, t1.failedStep, names(t1)]).toEqual(['COMPENSATING', 'b', []]);
      const settled = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('c', 'DO', 'SUCCEEDED')];
      expect(names(decideTransition(parPlan, 'COMPENSATING', settled, NOW))).toEqual(['UNDO:a#1', 'UNDO:c#1']);
    });
  });

  describe('retries', () => {
    const retry = { maxAttempts: 3, backoff: 'exponential' as const, initialDelaySeconds: 1, maxDelaySeconds: 10 };
    const plan: Plan = { type: 'sequential', steps: [step('a', 1, { retry }), step('b', 2)] };

    it('retries a failed step with backoff while attempts remain', () => {
      const t = decideTransition(plan, 'RUNNING', [at('a', 'DO', 'FAILED', 1)], NOW);
      expect(t.dispatch).toEqual([{ stepName: 'a', action: 'DO', attempt: 2, budgetStart: 1, delayMs: 1000 }]);
      const t2 = decideTransition(plan, 'RUNNING', [at('a', 'DO', 'FAILED', 1), at('a', 'DO', 'FAILED', 2)], NOW);
      expect(t2.dispatch).toEqual([{ stepName: 'a', action: 'DO', attempt: 3, budgetStart: 1, delayMs: 2000 }]);
    });

    it('fails the step once attempts are exhausted', () => {
      const attempts = [1, 2, 3].map((n) => at('a', 'DO', 'FAILED', n));
      expect(decideTransition(plan, 'RUNNING', attempts, NOW).status).toBe('FAILED');
    });

    it('retries a timed-out step even without a policy', () => {
      const t = decideTransition(plan, 'RUNNING', [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'TIMED_OUT')], NOW);
      expect(names(t)).toEqual(['DO:b#2']);
    });

    it('retries a timed-out undo, and gives up after its attempts', () => {
      const base = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED')];
      expect(names(decideTransition(plan, 'COMPENSATING', [...base, at('a', 'UNDO', 'TIMED_OUT')], NOW)))
        .toEqual(['UNDO:a#2']);
      const out = [1, 2, 3].map((n) => at('a', 'UNDO', 'FAILED', n));
      expect(decideTransition(plan, 'COMPENSATING', [...base, ...out], NOW).status).toBe('COMPENSATION_FAILED');
    });
  });

  describe('operator undo', () => {
    it('undoes a completed run in reverse order and ends UNDONE', () => {
      const done = ['a', 'b', 'c'].map((n) => at(n, 'DO', 'SUCCEEDED'));
      expect(names(decideTransition(seqPlan, 'UNDOING', done, NOW))).toEqual(['UNDO:c#1']);
      const undone = [...done, ...['a', 'b', 'c'].map((n) => at(n, 'UNDO', 'SUCCEEDED'))];
      expect(decideTransition(seqPlan, 'UNDOING', undone, NOW).status).toBe('UNDONE');
    });

    it('ends UNDO_FAILED when an undo ran out of attempts', () => {
      const attempts = [at('a', 'DO', 'SUCCEEDED'), at('a', 'UNDO', 'FAILED')];
      const plan: Plan = { type: 'sequential', steps: [step('a', 1)] };
      expect(decideTransition(plan, 'UNDOING', attempts, NOW).status).toBe('UNDO_FAILED');
    });
  });

  describe('retries waiting out their backoff', () => {
    const retry = { maxAttempts: 3, backoff: 'fixed' as const, initialDelaySeconds: 30, maxDelaySeconds: 30 };
    const plan: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 2, { retry }), step('c', 3)] };
    const waiting = (dueInMs: number): Attempt => ({ ...at('b', 'DO', 'DISPATCHED', 2), dueAt: NOW + dueInMs });
    const base = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('c', 'DO', 'DISPATCHED')];

    it('a running run waits for them', () => {
      const t = decideTransition(plan, 'RUNNING', [...base, waiting(30_000)], NOW);
      expect(t).toEqual({ status: 'RUNNING', dispatch: [] });
    });

    it('a paused run voids them', () => {
      const b2 = waiting(30_000);
      expect(decideTransition(plan, 'PAUSED', [...base, b2], NOW)).toEqual({ status: 'PAUSED', dispatch: [], voids: [b2], voidedBy: 'PAUSED' });
    });

    it('a failure that starts compensation voids them and undoes at once, without waiting for them', () => {
      const b2 = waiting(30_000);
      const t = decideTransition(plan, 'RUNNING', [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('c', 'DO', 'FAILED'), b2], NOW);
      expect([t.status, t.failedStep, names(t), t.voids, t.voidedBy]).toEqual(['COMPENSATING', 'c', ['UNDO:a#1'], [b2], 'COMPENSATING']);
    });

    it('names the status that stopped sending, not where the run ends', () => {
      const b2 = waiting(30_000);
      const t = decideTransition(plan, 'COMPENSATING', [at('a', 'DO', 'FAILED'), at('c', 'DO', 'FAILED'), b2], NOW);
      expect([t.status, t.voids, t.voidedBy]).toEqual(['FAILED', [b2], 'COMPENSATING']);
    });

    it('a terminated run voids waiting undos too', () => {
      const a2 = { ...at('a', 'UNDO', 'DISPATCHED', 2), dueAt: NOW + 10_000 };
      expect(decideTransition(plan, 'TERMINATED', [...base, a2], NOW).voids).toEqual([a2]);
      expect(decideTransition(plan, 'COMPENSATING', [...base, a2], NOW).voids).toBeUndefined();
    });

    it('a terminated run voids what waits to be sent and abandons what was sent, and the voided too should one go out first', () => {
      const b2 = waiting(30_000);
      const sent = waiting(VOID_MARGIN_MS); // too close to its time to void: the relay may be taking it
      const c = base[2];
      const t = decideTransition(plan, 'TERMINATED', [...base, b2], NOW);
      expect([t.status, t.dispatch, t.voids, t.abandons]).toEqual(['TERMINATED', [], [b2], [c, b2]]);
      expect(decideTransition(plan, 'TERMINATED', [...base, sent], NOW).abandons).toEqual([c, sent]);
      expect(decideTransition(plan, 'PAUSED', [...base, b2], NOW).abandons).toBeUndefined();
    });

    it('leaves one due within the margin in flight: the relay may be taking it', () => {
      const t = decideTransition(plan, 'PAUSED', [...base, waiting(VOID_MARGIN_MS)], NOW);
      expect(t).toEqual({ status: 'PAUSED', dispatch: [] });
    });

    it('a voided retry is written anew when the run runs again, in its place in the budget and with its backoff', () => {
      const t = decideTransition(plan, 'RUNNING', [...base, { ...at('b', 'DO', 'VOIDED', 2), budgetStart: 1 }], NOW);
      expect(t.dispatch).toEqual([{ stepName: 'b', action: 'DO', attempt: 3, budgetStart: 2, delayMs: 30_000 }]);
      const third = [...base, at('b', 'DO', 'VOIDED', 2), { ...at('b', 'DO', 'FAILED', 3), budgetStart: 2 }];
      expect(decideTransition(plan, 'RUNNING', third, NOW).dispatch.map((d) => d.attempt)).toEqual([4]);
      const out = [...third, { ...at('b', 'DO', 'FAILED', 4), budgetStart: 2 }];
      expect(decideTransition(plan, 'RUNNING', out, NOW).status).toBe('COMPENSATING');
    });
  });

  it('leaves terminal runs alone', () => {
    expect(decideTransition(seqPlan, 'COMPLETED', [], NOW)).toEqual({ status: 'COMPLETED', dispatch: [] });
  });
});
