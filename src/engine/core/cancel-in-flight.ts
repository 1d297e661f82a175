import { latestOf, LatestAttempts } from './latest-attempts';
import type { Plan, PlanStep } from './plan';
import { outcomeOf } from './step-outcome';

/**
 * The built-in steps (AWX, OO) to cancel when a run starts unwinding: their DO is still running
 * and no UNDO was sent yet. A worker's DO is waited for (its reply may add to the undo stack), but
 * a built-in job can poll for hours: its UNDO cancels the job first, waits for it to end, then runs
 * the declared undo, so the run need not wait for the job. Sent once: a step with any UNDO attempt
 * is being cancelled already.
 */
export function stepsToCancel(plan: Plan, latest: LatestAttempts): PlanStep[] {
  return plan.steps.filter((s) => s.builtIn
    && outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'in-flight'
    && !latestOf(latest, s.name, 'UNDO'));
}
