import type { Attempt, PlanStep } from './plan';
import { maxAttempts } from './retry-delay';

/**
 * Where one action of one step stands. `retry` means its last attempt failed but attempts remain;
 * `failed` means it is out of attempts.
 */
export type Outcome = 'pending' | 'in-flight' | 'succeeded' | 'retry' | 'failed';

export function outcomeOf(step: PlanStep, latest: Attempt | undefined): Outcome {
  if (!latest) return 'pending';
  switch (latest.status) {
    case 'DISPATCHED': return 'in-flight';
    case 'SUCCEEDED': return 'succeeded';
    case 'FAILED_FINAL': return 'failed';
    default: return latest.attempt < maxAttempts(step.retry, latest.status) ? 'retry' : 'failed';
  }
}
