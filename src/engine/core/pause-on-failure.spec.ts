import { decideTransition } from './decide-transition';
import type { Attempt, Plan, PlanStep } from './plan';
import type { StepAction, StepRunStatus } from './run-status';

const NOW = Date.parse('2026-12-04T00:00:00Z');

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep =>
  ({ name, seq, undoable: true, retry: null, ...extra });
const at = (stepName: string, action: StepAction, status: StepRunStatus, attempt = 1, budgetStart?: number): Attempt =>
  ({ stepName, action, status, attempt, budgetStart });
const names = (t: { dispatch: { stepName: string; action: string; attempt: number }[] }) =>
  t.dispatch.map((d) => `${d.action}:${d.stepName}#${d.attempt}`);

describe('decideTransition: onFailure pause, skipped steps and fresh retry budgets', () => {
  const seqPlan: Plan = { type: 'sequential', steps: [step('a', 1), step('b', 2, { onFailure: 'pause' }), step('c', 3)] };

  it('pauses, naming the step, instead of compensating', () => {
    const t = decideTransition(seqPlan, 'RUNNING', [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED')], NOW);
    expect(t).toEqual({ status: 'PAUSED', dispatch: [], failedStep: 'b' });
  });

  it('still compensates a step that keeps the default', () => {
    const t = decideTransition(seqPlan, 'RUNNING', [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SUCCEEDED'), at('c', 'DO', 'FAILED')], NOW);
    expect([t.status, t.failedStep, names(t)]).toEqual(['COMPENSATING', 'c', ['UNDO:b#1']]);
  });

  it('lets other branches finish before pausing, and keeps the run RUNNING meanwhile', () => {
    const plan: Plan = { type: 'parallel', steps: [step('a', 1, { onFailure: 'pause' }), step('b', 1)] };
    const running = decideTransition(plan, 'RUNNING', [at('a', 'DO', 'FAILED'), at('b', 'DO', 'DISPATCHED')], NOW);
    expect(running).toEqual({ status: 'RUNNING', dispatch: [] });
    const paused = decideTransition(plan, 'RUNNING', [at('a', 'DO', 'FAILED'), at('b', 'DO', 'SUCCEEDED')], NOW);
    expect(paused).toEqual({ status: 'PAUSED', dispatch: [], failedStep: 'a' });
  });

  it('retries a paused-on-failure step automatically while its retry policy allows', () => {
    const retry = { maxAttempts: 2, backoff: 'fixed' as const, initialDelaySeconds: 1, maxDelaySeconds: 1 };
    const plan: Plan = { type: 'sequential', steps: [step('a', 1, { onFailure: 'pause', retry })] };
    expect(names(decideTransition(plan, 'RUNNING', [at('a', 'DO', 'FAILED')], NOW))).toEqual(['DO:a#2']);
    expect(decideTransition(plan, 'RUNNING', [at('a', 'DO', 'FAILED'), at('a', 'DO', 'FAILED', 2)], NOW).status).toBe('PAUSED');
  });

  it('sends nothing while PAUSED, even when a step in flight finished', () => {
    const t = decideTransition(seqPlan, 'PAUSED', [at('a', 'DO', 'SUCCEEDED')], NOW);
    expect(t).toEqual({ status: 'PAUSED', dispatch: [] });
  });

  it('moves past a skipped step, and completes with it', () => {
    const skipped = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'FAILED'), at('b', 'DO', 'SKIPPED', 2, 2)];
    expect(names(decideTransition(seqPlan, 'RUNNING', skipped, NOW))).toEqual(['DO:c#1']);
    expect(decideTransition(seqPlan, 'RUNNING', [...skipped, at('c', 'DO', 'SUCCEEDED')], NOW).status).toBe('COMPLETED');
  });

  it('never undoes a skipped step', () => {
    const attempts = [at('a', 'DO', 'SUCCEEDED'), at('b', 'DO', 'SKIPPED', 2, 2), at('c', 'DO', 'FAILED')];
    expect(names(decideTransition(seqPlan, 'RUNNING', attempts, NOW))).toEqual(['UNDO:a#1']);
  });

  it("counts an operator's retry against a fresh budget", () => {
    const retry = { maxAttempts: 2, backoff: 'fixed' as const, initialDelaySeconds: 1, maxDelaySeconds: 1 };
    const plan: Plan = { type: 'sequential', steps: [step('a', 1, { onFailure: 'pause', retry })] };
    const spent = [at('a', 'DO', 'FAILED', 1), at('a', 'DO', 'FAILED', 2)];
    // Attempt 3 started a fresh budget of 2: its failure is retried (attempt 4), attempt 4's is final.
    const t = decideTransition(plan, 'RUNNING', [...spent, at('a', 'DO', 'FAILED', 3, 3)], NOW);
    expect(t.dispatch).toEqual([{ stepName: 'a', action: 'DO', attempt: 4, budgetStart: 3, delayMs: 1000 }]);
    expect(decideTransition(plan, 'RUNNING', [...spent, at('a', 'DO', 'FAILED', 3, 3), at('a', 'DO', 'FAILED', 4, 3)], NOW).status)
      .toBe('PAUSED');
  });

  it('sends nothing for a TERMINATED run, and gives up what it has in flight', () => {
    const inFlight = at('a', 'DO', 'DISPATCHED');
    expect(decideTransition(seqPlan, 'TERMINATED', [inFlight], NOW)).toEqual({ status: 'TERMINATED', dispatch: [], abandons: [inFlight] });
    expect(decideTransition(seqPlan, 'TERMINATED', [at('a', 'DO', 'SUCCEEDED')], NOW)).toEqual({ status: 'TERMINATED', dispatch: [] });
  });
});
