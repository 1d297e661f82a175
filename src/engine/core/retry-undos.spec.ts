import { decideTransition } from './decide-transition';
import type { Attempt, Plan, PlanStep } from './plan';
import { canRetryUndos, retryFailedUndos } from './retry-undos';
import type { StepAction, StepRunStatus } from './run-status';

const NOW = Date.parse('2026-12-04T00:00:00Z');

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep =>
  ({ name, seq, undoable: true, retry: null, ...extra });
const plan: Plan = { type: 'sequential', steps: [step('a', 1), step('b', 2), step('c', 3)] };
const at = (stepName: string, action: StepAction, status: StepRunStatus, attempt = 1): Attempt =>
  ({ stepName, action, status, attempt });
const names = (t: { dispatch: { stepName: string; action: string; attempt: number }[] }) =>
  t.dispatch.map((d) => `${d.action}:${d.stepName}#${d.attempt}`);

describe('retryFailedUndos', () => {
  // c failed; b's undo failed; a's undo succeeded: the run ended COMPENSATION_FAILED.
  const compensationFailed = [
    at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'FAILED'),
    at('b', 'UNDO', 'FAILED'), at('a', 'UNDO', 'SUCCEEDED'),
  ];

  it('gives each failed undo one more attempt and resumes compensating', () => {
    const t = retryFailedUndos(plan, 'COMPENSATION_FAILED', compensationFailed, NOW);
    expect([t.status, names(t)]).toEqual(['COMPENSATING', ['UNDO:b#2']]);
  });

  it('ends the run as compensation would have: FAILED once the retried undo succeeds, COMPENSATION_FAILED if it fails again', () => {
    const retried = (status: StepRunStatus) => [...compensationFailed, at('b', 'UNDO', status, 2)];
    expect(decideTransition(plan, 'COMPENSATING', retried('SUCCEEDED'), NOW).status).toBe('FAILED');
    expect(decideTransition(plan, 'COMPENSATING', retried('FAILED'), NOW).status).toBe('COMPENSATION_FAILED');
    expect(names(retryFailedUndos(plan, 'COMPENSATION_FAILED', retried('FAILED'), NOW))).toEqual(['UNDO:b#3']);
  });

  it("gives each retried undo a fresh budget of its retry policy, as an operator's retry of a step", () => {
    const retried = (status: StepRunStatus, s = plan, spent = 1) => {
      const history = [...compensationFailed.slice(0, 3), at('b', 'UNDO', 'FAILED', spent), at('a', 'UNDO', 'SUCCEEDED')];
      const again = retryFailedUndos(s, 'COMPENSATION_FAILED', history, NOW).dispatch[0];
      expect(again).toMatchObject({ attempt: spent + 1, budgetStart: spent + 1 });
      return names(decideTransition(s, 'COMPENSATING', [...history, { ...at('b', 'UNDO', status, spent + 1), budgetStart: spent + 1 }], NOW));
    };
    // No policy: a failure is final, a timeout gets its three attempts (a lost message deserves another try).
    expect(retried('FAILED')).toEqual([]);
    expect(retried('TIMED_OUT')).toEqual(['UNDO:b#3']);
    const retry = { maxAttempts: 2, backoff: 'fixed' as const, initialDelaySeconds: 1, maxDelaySeconds: 1 };
    const twice: Plan = { ...plan, steps: plan.steps.map((x) => ({ ...x, retry })) };
    expect(retried('FAILED', twice, 2)).toEqual(['UNDO:b#4']);
  });

  it('resumes an operator undo that ended UNDO_FAILED', () => {
    const attempts = [...['a', 'b', 'c'].map((n) => at(n, 'DO', 'SUCCEEDED')),
      at('c', 'UNDO', 'SUCCEEDED'), at('b', 'UNDO', 'TIMED_OUT', 3), at('a', 'UNDO', 'FAILED')];
    const t = retryFailedUndos(plan, 'UNDO_FAILED', attempts, NOW);
    expect([t.status, names(t), t.owed]).toEqual(['UNDOING', ['UNDO:b#4'], [{ stepName: 'a', action: 'UNDO', attempt: 2, budgetStart: 2, delayMs: 0 }]]);
  });

  describe('keeps the stack order: a step whose undo is retried too waits for the undos of the steps built on it', () => {
    const dag: Plan = { type: 'dag', steps: [step('a', 1), step('b', 2, { dependsOn: ['a'] }), step('c', 3, { dependsOn: ['b'] })] };
    // c failed; b's undo failed, then a's (after b's, in order): the run ended COMPENSATION_FAILED.
    const bothFailed = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'FAILED_FINAL'),
      at('b', 'UNDO', 'FAILED_FINAL'), at('a', 'UNDO', 'FAILED_FINAL')];
    /** The run after the retry, its owed retries written as RunTransitions writes them. */
    const afterRetry = (p: Plan) => {
      const t = retryFailedUndos(p, 'COMPENSATION_FAILED', bothFailed, NOW);
      expect([t.status, names(t), t.owed?.map((d) => `${d.stepName}#${d.attempt}`)]).toEqual(['COMPENSATING', ['UNDO:b#2'], ['a#2']]);
      return [...bothFailed, ...t.owed!.map((d) => ({ ...at(d.stepName, 'UNDO', 'VOIDED', d.attempt), budgetStart: d.budgetStart })),
        { ...at('b', 'UNDO', 'DISPATCHED', 2), budgetStart: 2 }];
    };

    it.each([['dag', dag], ['sequential', plan]] as const)('%s: UNDO b first, UNDO a only once b is undone', (_, p) => {
      const retried = afterRetry(p);
      // While b's undo is in flight, a's owed retry neither goes out nor ends the run.
      expect([decideTransition(p, 'COMPENSATING', retried, NOW).status, names(decideTransition(p, 'COMPENSATING', retried, NOW))])
        .toEqual(['COMPENSATING', []]);
      const bUndone = [...retried.slice(0, -1), { ...at('b', 'UNDO', 'SUCCEEDED', 2), budgetStart: 2 }];
      const next = decideTransition(p, 'COMPENSATING', bUndone, NOW);
      expect([next.status, next.dispatch]).toEqual(['COMPENSATING', [{ stepName: 'a', action: 'UNDO', attempt: 3, budgetStart: 3, delayMs: 0 }]]);
      expect(decideTransition(p, 'COMPENSATING', [...bUndone, { ...at('a', 'UNDO', 'SUCCEEDED', 3), budgetStart: 3 }], NOW).status).toBe('FAILED');
    });

    it('sends the owed retry after a retried undo that failed again too, and ends the run COMPENSATION_FAILED', () => {
      const bFailed = [...afterRetry(dag).slice(0, -1), { ...at('b', 'UNDO', 'FAILED_FINAL', 2), budgetStart: 2 }];
      expect(names(decideTransition(dag, 'COMPENSATING', bFailed, NOW))).toEqual(['UNDO:a#3']);
      expect(decideTransition(dag, 'COMPENSATING', [...bFailed, { ...at('a', 'UNDO', 'SUCCEEDED', 3), budgetStart: 3 }], NOW).status)
        .toBe('COMPENSATION_FAILED');
    });

    it('parallel: every failed undo goes out again at once, as the stack has one stage', () => {
      const parallel: Plan = { ...dag, type: 'parallel' };
      const t = retryFailedUndos(parallel, 'COMPENSATION_FAILED', bothFailed, NOW);
      expect([names(t), t.owed]).toEqual([['UNDO:b#2', 'UNDO:a#2'], undefined]);
    });
  });

  it('resumes a run whose undos never ran (they could not be sent) where it stopped: the undos it owes start', () => {
    const unsendable = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'FAILED')];
    const t = retryFailedUndos(plan, 'COMPENSATION_FAILED', unsendable, NOW);
    expect([t.status, names(t)]).toEqual(['COMPENSATING', ['UNDO:b#1']]);
    // An undo that went out before the rest could not be sent: the unwind goes on below it.
    const undoing = [...['a', 'b', 'c'].map((n) => at(n, 'DO', 'SUCCEEDED')), at('c', 'UNDO', 'SUCCEEDED')];
    const u = retryFailedUndos(plan, 'UNDO_FAILED', undoing, NOW);
    expect([u.status, names(u)]).toEqual(['UNDOING', ['UNDO:b#1']]);
  });

  it('applies only to runs whose undo failed', () => {
    expect(canRetryUndos('COMPENSATION_FAILED')).toBe(true);
    expect(canRetryUndos('UNDO_FAILED')).toBe(true);
    for (const status of ['RUNNING', 'COMPLETED', 'FAILED', 'UNDONE', 'COMPENSATING'] as const) {
      expect(canRetryUndos(status)).toBe(false);
      expect(retryFailedUndos(plan, status, compensationFailed, NOW)).toEqual({ status, dispatch: [] });
    }
  });
});
