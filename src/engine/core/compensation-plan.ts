import { dependentsOf } from './dependents';
import { latestOf, LatestAttempts } from './latest-attempts';
import type { Plan, PlanStep } from './plan';
import { outcomeOf } from './step-outcome';

export interface CompensationState {
  /** UNDOs to start now. */
  start: PlanStep[];
  /** UNDOs still running or waiting for a retry. */
  busy: boolean;
  /** Steps whose UNDO ran out of attempts. */
  failed: string[];
}

/**
 * Undo is a stack: only a step whose DO succeeded is pushed (a skipped step has nothing to undo),
 * and the stack unwinds in reverse. A sequential plan unwinds stage by stage, the last stage
 * first, and moves to the previous stage only when the current one is done (succeeded or out of
 * attempts: a failed UNDO is recorded and the rest still run). A parallel plan has one stage:
 * everything is undone at once. A DAG unwinds in reverse topological order. Steps that declare no
 * undo are skipped. An UNDO that cancels a
 * built-in step's running DO is not on the stack, but the run is busy until it ends.
 */
export function compensationPlan(plan: Plan, latest: LatestAttempts): CompensationState {
  const stack = plan.steps.filter((s) => s.undoable && outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'succeeded');
  const undo = (s: PlanStep) => outcomeOf(s, latestOf(latest, s.name, 'UNDO'));
  const failed = plan.steps.filter((s) => undo(s) === 'failed').map((s) => s.name);
  const busy = plan.steps.some((s) => ['in-flight', 'retry'].includes(undo(s)));
  const pending = stack.filter((s) => undo(s) === 'pending');
  if (busy || pending.length === 0) return { start: [], busy, failed };
  if (plan.type === 'parallel') return { start: pending, busy, failed };
  if (plan.type === 'dag') {
    // Reverse topological order: a step waits until every step that built on it is undone (or
    // has nothing to undo: never ran, failed, skipped, no undo).
    const dependents = dependentsOf(plan);
    const waits = (s: PlanStep) => [...dependents.get(s.name)!].some((d) => {
      const dep = stack.find((x) => x.name === d);
      return dep !== undefined && !['succeeded', 'failed'].includes(undo(dep));
    });
    return { start: pending.filter((s) => !waits(s)), busy, failed };
  }
  const top = Math.max(...pending.map((s) => s.seq));
  return { start: pending.filter((s) => s.seq === top), busy, failed };
}
