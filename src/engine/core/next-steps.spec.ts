import { latestAttempts } from './latest-attempts';
import { nextSteps } from './next-steps';
import type { Attempt, Plan, PlanStep } from './plan';
import type { StepRunStatus } from './run-status';

const step = (name: string, seq: number, extra: Partial<PlanStep> = {}): PlanStep => ({ name, seq, undoable: true, retry: null, ...extra });
const did = (stepName: string, status: StepRunStatus, attempt = 1): Attempt => ({ stepName, action: 'DO', status, attempt });
const next = (plan: Plan, attempts: Attempt[]) => nextSteps(plan, latestAttempts(attempts)).map((s) => s.name);

describe('nextSteps', () => {
  const sequential: Plan = { type: 'sequential', steps: [step('a', 1), step('b', 2), step('c', 2), step('d', 3)] };
  const parallel: Plan = { type: 'parallel', steps: [step('a', 1), step('b', 2), step('c', 3)] };
  // a → b, a → c, (b, c) → d
  const dag: Plan = {
    type: 'dag',
    steps: [step('a', 1), step('b', 2, { dependsOn: ['a'] }), step('c', 3, { dependsOn: ['a'] }), step('d', 4, { dependsOn: ['b', 'c'] })],
  };

  it.each<[string, Plan, Attempt[], string[]]>([
    ['sequential: the first stage', sequential, [], ['a']],
    ['sequential: a stage of two steps together', sequential, [did('a', 'SUCCEEDED')], ['b', 'c']],
    ['sequential: not the next stage while one step of this one runs', sequential, [did('a', 'SUCCEEDED'), did('b', 'SUCCEEDED'), did('c', 'DISPATCHED')], []],
    ['sequential: only the stage member not yet sent', sequential, [did('a', 'SUCCEEDED'), did('b', 'DISPATCHED')], ['c']],
    ['sequential: a skipped step counts as done', sequential, [did('a', 'SUCCEEDED'), did('b', 'SKIPPED'), did('c', 'SUCCEEDED')], ['d']],
    ['sequential: a failed step holds its stage (its retry is not a new start)', sequential, [did('a', 'FAILED_FINAL')], []],
    ['sequential: nothing once every step is done', sequential, ['a', 'b', 'c', 'd'].map((n) => did(n, 'SUCCEEDED')), []],
    ['parallel: everything at once', parallel, [], ['a', 'b', 'c']],
    ['parallel: what is not yet sent, whatever the others did', parallel, [did('a', 'FAILED_FINAL'), did('b', 'DISPATCHED')], ['c']],
    ['dag: the roots', dag, [], ['a']],
    ['dag: both branches once their dependency is done', dag, [did('a', 'SUCCEEDED')], ['b', 'c']],
    ['dag: a join waits for every dependency', dag, [did('a', 'SUCCEEDED'), did('b', 'SUCCEEDED'), did('c', 'DISPATCHED')], []],
    ['dag: a join starts once the last dependency is done or skipped', dag, [did('a', 'SUCCEEDED'), did('b', 'SUCCEEDED'), did('c', 'SKIPPED')], ['d']],
    ['dag: not after a failed dependency', dag, [did('a', 'SUCCEEDED'), did('b', 'FAILED_FINAL'), did('c', 'SUCCEEDED')], []],
  ])('%s', (_, plan, attempts, expected) => {
    expect(next(plan, attempts)).toEqual(expected);
  });

  it('reads only the latest attempt of a step: a newer attempt in flight is not pending', () => {
    const retried = [did('a', 'SUCCEEDED'), did('b', 'TIMED_OUT', 1), did('b', 'DISPATCHED', 2)];
    expect(next(sequential, retried)).toEqual(['c']);
  });
});
