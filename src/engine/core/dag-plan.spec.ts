import { decideTransition } from './decide-transition';
import { dependentsOf } from './dependents';
import type { Attempt, Plan, PlanStep } from './plan';
import type { StepAction, StepRunStatus } from './run-status';

const NOW = Date.parse('2026-12-04T00:00:00Z');

const step = (name: string, dependsOn: string[] = [], extra: Partial<PlanStep> = {}): PlanStep =>
  ({ name, seq: 1, undoable: true, retry: null, dependsOn, ...extra });
const at = (stepName: string, action: StepAction, status: StepRunStatus): Attempt => ({ stepName, action, status, attempt: 1 });
const names = (t: { dispatch: { stepName: string; action: string }[] }) => t.dispatch.map((d) => `${d.action}:${d.stepName}`).sort();
const ok = (...steps: string[]) => steps.map((s) => at(s, 'DO', 'SUCCEEDED'));

/** The diamond: a → b, c → d (b and c depend on a, d on both). */
const diamond: Plan = { type: 'dag', steps: [step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])] };

describe('DAG plans', () => {
  it('starts the roots, then each step once every step it depends on succeeded', () => {
    expect(names(decideTransition(diamond, 'RUNNING', [], NOW))).toEqual(['DO:a']);
    expect(names(decideTransition(diamond, 'RUNNING', ok('a'), NOW))).toEqual(['DO:b', 'DO:c']);
    expect(names(decideTransition(diamond, 'RUNNING', [...ok('a', 'b'), at('c', 'DO', 'DISPATCHED')], NOW))).toEqual([]);
    expect(names(decideTransition(diamond, 'RUNNING', ok('a', 'b', 'c'), NOW))).toEqual(['DO:d']);
    expect(decideTransition(diamond, 'RUNNING', ok('a', 'b', 'c', 'd'), NOW).status).toBe('COMPLETED');
  });

  it('treats a skipped dependency as done', () => {
    const attempts = [...ok('a', 'c'), at('b', 'DO', 'SKIPPED')];
    expect(names(decideTransition(diamond, 'RUNNING', attempts, NOW))).toEqual(['DO:d']);
  });

  it('undoes in reverse topological order: c and b before a', () => {
    const failed = [...ok('a', 'b', 'c'), at('d', 'DO', 'FAILED')];
    const t1 = decideTransition(diamond, 'RUNNING', failed, NOW);
    expect([t1.status, t1.failedStep, names(t1)]).toEqual(['COMPENSATING', 'd', ['UNDO:b', 'UNDO:c']]);
    expect(names(decideTransition(diamond, 'COMPENSATING', [...failed, at('b', 'UNDO', 'SUCCEEDED'), at('c', 'UNDO', 'DISPATCHED')], NOW)))
      .toEqual([]);
    const t3 = decideTransition(diamond, 'COMPENSATING', [...failed, at('b', 'UNDO', 'SUCCEEDED'), at('c', 'UNDO', 'SUCCEEDED')], NOW);
    expect(names(t3)).toEqual(['UNDO:a']);
  });

  it('waits for dependents through a step that has no undo', () => {
    const chain: Plan = { type: 'dag', steps: [step('a'), step('b', ['a'], { undoable: false }), step('c', ['b']), step('d', ['c'])] };
    const failed = [...ok('a', 'b', 'c'), at('d', 'DO', 'FAILED')];
    expect(names(decideTransition(chain, 'RUNNING', failed, NOW))).toEqual(['UNDO:c']);
    expect(names(decideTransition(chain, 'COMPENSATING', [...failed, at('c', 'UNDO', 'SUCCEEDED')], NOW))).toEqual(['UNDO:a']);
  });

  it('undoes a step whose dependent never ran at once', () => {
    const failed = [...ok('a'), at('b', 'DO', 'FAILED'), at('c', 'DO', 'SUCCEEDED')];
    expect(names(decideTransition(diamond, 'RUNNING', failed, NOW))).toEqual(['UNDO:c']);
  });

  it('knows every step that depends on a step, directly or not', () => {
    const all = dependentsOf(diamond);
    expect([...all.get('a')!].sort()).toEqual(['b', 'c', 'd']);
    expect([...all.get('b')!]).toEqual(['d']);
    expect([...all.get('d')!]).toEqual([]);
  });
});
