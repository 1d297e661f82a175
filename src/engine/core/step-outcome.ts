import { latestOf, LatestAttempts } from './latest-attempts';
import type { Attempt, Plan, PlanStep } from './plan';
import { maxAttempts } from './retry-delay';

/**
 * Where one action of one step stands. `retry` means its last attempt failed but attempts remain;
 * `failed` means it is out of attempts; `skipped` means an operator skipped the failed step.
 */
export type Outcome = 'pending' | 'in-flight' | 'succeeded' | 'skipped' | 'retry' | 'failed';

/** The attempt's place in its retry budget: 1 for the first attempt of the budget. */
export const attemptInBudget = (a: Pick<Attempt, 'attempt' | 'budgetStart'>): number => a.attempt - (a.budgetStart ?? 1) + 1;

export function outcomeOf(step: PlanStep, latest: Attempt | undefined): Outcome {
  if (!latest) return 'pending';
  switch (latest.status) {
    case 'DISPATCHED': return 'in-flight';
    case 'SUCCEEDED': return 'succeeded';
    case 'SKIPPED': return 'skipped';
    case 'FAILED_FINAL': return 'failed';
    // Never sent: the step is where its previous attempt left it, owed this retry.
    case 'VOIDED': return 'retry';
    // Only on a TERMINATED run, which nothing moves on: the step did not get what it needed.
    case 'ABANDONED': return 'failed';
    default: return attemptInBudget(latest) < maxAttempts(step.retry, latest.status) ? 'retry' : 'failed';
  }
}

/** A step later steps may build on: it succeeded, or an operator skipped it. */
export const isDone = (outcome: Outcome): boolean => outcome === 'succeeded' || outcome === 'skipped';

/** The steps whose DO is out of attempts: each holds the run until an operator retries or skips it, or it unwinds. */
export const failedSteps = (plan: Plan, latest: LatestAttempts): PlanStep[] =>
  plan.steps.filter((s) => outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'failed');
