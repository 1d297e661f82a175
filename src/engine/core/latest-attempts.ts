import type { StepAction } from './run-status';
import type { Attempt } from './plan';

export type LatestAttempts<T extends Attempt = Attempt> = Map<string, T>;

const keyOf = (stepName: string, action: StepAction) => `${action}:${stepName}`;

/** Indexes the newest attempt of each step's DO and UNDO: older attempts no longer matter. */
export function latestAttempts<T extends Attempt>(attempts: T[]): LatestAttempts<T> {
  const latest: LatestAttempts<T> = new Map();
  for (const a of attempts) {
    const key = keyOf(a.stepName, a.action);
    const seen = latest.get(key);
    if (!seen || a.attempt > seen.attempt) latest.set(key, a);
  }
  return latest;
}

export function latestOf(latest: LatestAttempts, stepName: string, action: StepAction): Attempt | undefined {
  return latest.get(keyOf(stepName, action));
}
