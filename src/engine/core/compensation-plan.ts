import { dependentsOf } from './dependents';
import { latestOf, LatestAttempts } from './latest-attempts';
import type { Plan, PlanStep } from './plan';
import { outcomeOf } from './step-outcome';

export interface CompensationState {
  /** UNDOs to start now. */
  start: PlanStep[];
  /**
   * Steps whose UNDO waits for a retry that must wait its turn in the stack: an operator's retry
   * of failed undos owes them all one, but a step's undo still goes after the undos of the steps
   * built on it (retryFailedUndos).
   */
  held: string[];
  /** UNDOs still running or waiting for a retry (a held one aside: it waits for those). */
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
  const unfinished = (s: PlanStep | undefined) => s !== undefined && !['succeeded', 'failed'].includes(undo(s));
  const waits = waitsFor(plan, stack, unfinished);
  const failed = plan.steps.filter((s) => undo(s) === 'failed').map((s) => s.name);
  const held = stack.filter((s) => undo(s) === 'retry' && waits(s)).map((s) => s.name);
  const busy = plan.steps.some((s) => undo(s) === 'in-flight' || (undo(s) === 'retry' && !held.includes(s.name)));
  const pending = stack.filter((s) => undo(s) === 'pending');
  if (busy || pending.length === 0) return { start: [], held, busy, failed };
  return { start: pending.filter((s) => !waits(s)), held, busy, failed };
}

/** Whether a step's UNDO must wait for the undos of steps above it on the stack that are not done yet. */
function waitsFor(plan: Plan, stack: PlanStep[], unfinished: (s: PlanStep | undefined) => boolean): (s: PlanStep) => boolean {
  if (plan.type === 'parallel') return () => false;
  if (plan.type === 'dag') {
    // Reverse topological order: a step waits until every step that built on it is undone (or
    // has nothing to undo: never ran, failed, skipped, no undo).
    const dependents = dependentsOf(plan);
    return (s) => [...dependents.get(s.name)!].some((d) => unfinished(stack.find((x) => x.name === d)));
  }
  // Sequential: a stage waits for every later stage.
  return (s) => stack.some((x) => x.seq > s.seq && unfinished(x));
}
