import { latestOf, LatestAttempts } from './latest-attempts';
import type { Plan, PlanStep } from './plan';
import { isDone, outcomeOf } from './step-outcome';

/**
 * The DO steps to start now. A parallel plan starts everything at once; a sequential plan runs
 * stage by stage (steps sharing a seq form a stage) and starts a stage only when every earlier
 * stage is done (succeeded, or skipped by an operator).
 */
export function nextSteps(plan: Plan, latest: LatestAttempts): PlanStep[] {
  const pending = (s: PlanStep) => outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'pending';
  if (plan.type === 'parallel') return plan.steps.filter(pending);
  const unfinished = plan.steps.filter((s) => !isDone(outcomeOf(s, latestOf(latest, s.name, 'DO'))));
  if (unfinished.length === 0) return [];
  const stage = Math.min(...unfinished.map((s) => s.seq));
  return unfinished.filter((s) => s.seq === stage && pending(s));
}
