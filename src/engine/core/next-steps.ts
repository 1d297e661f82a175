import { latestOf, LatestAttempts } from './latest-attempts';
import type { Plan, PlanStep } from './plan';
import { isDone, outcomeOf } from './step-outcome';

/**
 * The DO steps to start now. A parallel plan starts everything at once; a DAG starts each step as
 * soon as every step it depends on is done; a sequential plan runs stage by stage (steps sharing a
 * seq form a stage) and starts a stage only when every earlier stage is done. Done means
 * succeeded, or skipped by an operator.
 */
export function nextSteps(plan: Plan, latest: LatestAttempts): PlanStep[] {
  const pending = (s: PlanStep) => outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'pending';
  const done = (name: string) => {
    const step = plan.steps.find((s) => s.name === name);
    return step !== undefined && isDone(outcomeOf(step, latestOf(latest, name, 'DO')));
  };
  if (plan.type === 'parallel') return plan.steps.filter(pending);
  if (plan.type === 'dag') return plan.steps.filter((s) => pending(s) && (s.dependsOn ?? []).every(done));
  const unfinished = plan.steps.filter((s) => !done(s.name));
  if (unfinished.length === 0) return [];
  const stage = Math.min(...unfinished.map((s) => s.seq));
  return unfinished.filter((s) => s.seq === stage && pending(s));
}
