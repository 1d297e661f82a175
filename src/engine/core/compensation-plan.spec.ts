import { compensationPlan } from './compensation-plan';
import { latestAttempts } from './latest-attempts';
import type { Attempt, Plan, PlanStep } from './plan';
import type { StepAction, StepRunStatus } from './run-status';

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep => ({ name, seq, undoable: true, retry: null, ...extra });
const at = (stepName: string, action: StepAction, status: StepRunStatus, attempt = 1): Attempt => ({ stepName, action, status, attempt });
const done = (...names: string[]) => names.map((n) => at(n, 'DO', 'SUCCEEDED'));
const undone = (...names: string[]) => names.map((n) => at(n, 'UNDO', 'SUCCEEDED'));
const plan = (p: Plan, attempts: Attempt[]) => {
  const state = compensationPlan(p, latestAttempts(attempts));
  return { start: state.start.map((s) => s.name), busy: state.busy, failed: state.failed };
};

describe('compensationPlan', () => {
  const sequential: Plan = { type: 'sequential', steps: [step('a', 1), step('b', 2), step('c', 2), step('d', 3)] };
  const parallel: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 2), step('c', 3)] };
  // a → b, a → c, b → d
  const dag: Plan = {
    type: 'dag',
    steps: [step('a', 1), step('b', 2, { dependsOn: ['a'] }), step('c', 3, { dependsOn: ['a'] }), step('d', 4, { dependsOn: ['b'] })],
  };

  describe('sequential: the last stage first, one stage at a time', () => {
    it('undoes the latest stage that succeeded, both of its steps together', () => {
      expect(plan(sequential, [...done('a', 'b', 'c'), at('d', 'DO', 'FAILED_FINAL')])).toEqual({ start: ['b', 'c'], busy: false, failed: [] });
    });

    it('moves to the previous stage only when the current one is undone', () => {
      const attempts = [...done('a', 'b', 'c'), at('d', 'DO', 'FAILED_FINAL')];
      expect(plan(sequential, [...attempts, ...undone('b'), at('c', 'UNDO', 'DISPATCHED')])).toEqual({ start: [], busy: true, failed: [] });
      expect(plan(sequential, [...attempts, ...undone('b', 'c')]).start).toEqual(['a']);
    });

    it('records an UNDO out of attempts and still undoes the rest', () => {
      const attempts = [...done('a', 'b', 'c'), at('d', 'DO', 'FAILED_FINAL'), ...undone('b'), at('c', 'UNDO', 'FAILED_FINAL')];
      expect(plan(sequential, attempts)).toEqual({ start: ['a'], busy: false, failed: ['c'] });
    });

    it('is busy while an UNDO waits for its retry', () => {
      const retrying: Plan = { ...sequential, steps: sequential.steps.map((s) => s.name === 'b'
        ? { ...s, retry: { maxAttempts: 3, backoff: 'fixed' as const, initialDelaySeconds: 1, maxDelaySeconds: 1 } } : s) };
      const attempts = [...done('a', 'b'), at('c', 'DO', 'FAILED_FINAL'), at('b', 'UNDO', 'FAILED')];
      expect(plan(retrying, attempts)).toEqual({ start: [], busy: true, failed: [] });
    });

    it('skips what has nothing to undo: a skipped step, a step that never succeeded, a step with no undo', () => {
      const noUndo: Plan = { ...sequential, steps: sequential.steps.map((s) => (s.name === 'a' ? { ...s, undoable: false } : s)) };
      const attempts = [...done('a', 'b'), at('c', 'DO', 'SKIPPED'), at('d', 'DO', 'FAILED_FINAL')];
      expect(plan(noUndo, attempts).start).toEqual(['b']);
      expect(plan(noUndo, [...attempts, ...undone('b')])).toEqual({ start: [], busy: false, failed: [] });
    });
  });

  it('parallel: undoes every succeeded step at once', () => {
    expect(plan(parallel, [...done('a', 'c'), at('b', 'DO', 'FAILED_FINAL')])).toEqual({ start: ['a', 'c'], busy: false, failed: [] });
  });

  describe('dag: reverse topological order', () => {
    it('undoes a step only after every step built on it is undone', () => {
      const attempts = [...done('a', 'b', 'c', 'd')];
      expect(plan(dag, attempts).start).toEqual(['c', 'd']);
      expect(plan(dag, [...attempts, ...undone('c', 'd')]).start).toEqual(['b']);
      expect(plan(dag, [...attempts, ...undone('b', 'c', 'd')]).start).toEqual(['a']);
    });

    it('does not wait for a dependent that has nothing to undo, nor for one whose UNDO failed', () => {
      // c failed, d never ran: b is undone at once, and a when b's UNDO is out of attempts.
      const attempts = [...done('a', 'b'), at('c', 'DO', 'FAILED_FINAL')];
      expect(plan(dag, attempts).start).toEqual(['b']);
      expect(plan(dag, [...attempts, at('b', 'UNDO', 'FAILED_FINAL')])).toEqual({ start: ['a'], busy: false, failed: ['b'] });
    });
  });

  describe('a retry owed to an undo (an operator retried failed undos) waits its turn in the stack', () => {
    const chain: Plan = { type: 'dag', steps: [step('a', 1), step('b', 2, { dependsOn: ['a'] }), step('c', 3, { dependsOn: ['b'] })] };
    const owed = (name: string, attempt = 2): Attempt => ({ ...at(name, 'UNDO', 'VOIDED', attempt), budgetStart: attempt });
    const held = (p: Plan, attempts: Attempt[]) => compensationPlan(p, latestAttempts(attempts)).held;

    it("holds a step's retry while the undo of a step built on it is not done, and lets it go once it is", () => {
      const attempts = [...done('a', 'b'), at('c', 'DO', 'FAILED_FINAL'), owed('a'), owed('b')];
      expect([held(chain, attempts), plan(chain, attempts).busy]).toEqual([['a'], true]);
      expect(held(chain, [...attempts, at('b', 'UNDO', 'SUCCEEDED', 3)])).toEqual([]);
      expect(held(chain, [...attempts, at('b', 'UNDO', 'FAILED_FINAL', 3)])).toEqual([]);
      expect(held({ ...chain, type: 'sequential' }, attempts)).toEqual(['a']);
      expect(held({ ...chain, type: 'parallel' }, attempts)).toEqual([]);
    });

    it('is not busy for a held retry: the undo it waits for starts', () => {
      expect(plan(chain, [...done('a', 'b'), at('c', 'DO', 'FAILED_FINAL'), owed('a')])).toEqual({ start: ['b'], busy: false, failed: [] });
    });
  });
});
