import { stepsToCancel } from './cancel-in-flight';
import { decideTransition } from './decide-transition';
import { latestAttempts } from './latest-attempts';
import type { Attempt, Plan, PlanStep } from './plan';
import type { StepAction, StepRunStatus } from './run-status';

const NOW = Date.parse('2026-12-04T00:00:00Z');

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep =>
  ({ name, seq, undoable: true, retry: null, ...extra });
const at = (stepName: string, action: StepAction, status: StepRunStatus, attempt = 1): Attempt => ({ stepName, action, status, attempt });
const names = (t: { dispatch: { stepName: string; action: string; attempt: number }[] }) =>
  t.dispatch.map((d) => `${d.action}:${d.stepName}#${d.attempt}`);

/** a (worker), then awx and worker in parallel; the worker step fails while the AWX job still polls. */
const plan: Plan = { type: 'sequential', steps: [step('a', 1), step('awx', 2, { builtIn: true }), step('w', 2)] };
const failing = [at('a', 'DO', 'SUCCEEDED'), at('awx', 'DO', 'DISPATCHED'), at('w', 'DO', 'FAILED')];

describe('compensation cancels in-flight built-in steps', () => {
  it('names built-in steps whose DO is running and not yet cancelled', () => {
    expect(stepsToCancel(plan, latestAttempts(failing)).map((s) => s.name)).toEqual(['awx']);
    expect(stepsToCancel(plan, latestAttempts([...failing, at('awx', 'UNDO', 'DISPATCHED')]))).toEqual([]);
  });

  it('never cancels a worker step: its DO is waited for', () => {
    const attempts = [at('a', 'DO', 'SUCCEEDED'), at('awx', 'DO', 'FAILED'), at('w', 'DO', 'DISPATCHED')];
    expect(stepsToCancel(plan, latestAttempts(attempts))).toEqual([]);
  });

  it('sends the UNDO (cancel, then undo) at once instead of waiting for the job', () => {
    const t = decideTransition(plan, 'RUNNING', failing, NOW);
    expect([t.status, t.failedStep, names(t)]).toEqual(['COMPENSATING', 'w', ['UNDO:awx#1']]);
  });

  it('sends it once, and waits for the cancelled job to end', () => {
    const t = decideTransition(plan, 'COMPENSATING', [...failing, at('awx', 'UNDO', 'DISPATCHED')], NOW);
    expect(t).toEqual({ status: 'COMPENSATING', dispatch: [] });
  });

  it('waits for the cancel-undo to finish, then unwinds the rest', () => {
    const cancelled = [...failing.slice(0, 1), at('awx', 'DO', 'FAILED'), failing[2], at('awx', 'UNDO', 'DISPATCHED')];
    expect(decideTransition(plan, 'COMPENSATING', cancelled, NOW)).toEqual({ status: 'COMPENSATING', dispatch: [] });
    const t = decideTransition(plan, 'COMPENSATING', [...cancelled.slice(0, 3), at('awx', 'UNDO', 'SUCCEEDED')], NOW);
    expect(names(t)).toEqual(['UNDO:a#1']);
  });

  it('does not undo again a job that finished before the cancel took', () => {
    const raced = [at('a', 'DO', 'SUCCEEDED'), at('awx', 'DO', 'SUCCEEDED'), at('w', 'DO', 'FAILED'), at('awx', 'UNDO', 'SUCCEEDED')];
    expect(names(decideTransition(plan, 'COMPENSATING', raced, NOW))).toEqual(['UNDO:a#1']);
  });

  it('ends COMPENSATION_FAILED when the cancel-undo failed', () => {
    const attempts = [at('a', 'DO', 'SUCCEEDED'), at('awx', 'DO', 'FAILED'), at('w', 'DO', 'FAILED'), at('awx', 'UNDO', 'FAILED'),
      at('a', 'UNDO', 'SUCCEEDED')];
    expect(decideTransition(plan, 'COMPENSATING', attempts, NOW).status).toBe('COMPENSATION_FAILED');
  });
});
