import type { PresentStep } from './worker-instance.entity';

export interface LiveStep extends PresentStep {
  liveInstances: number;
  lastSeenAt: Date;
}

/** Per step: how many of the given (live) instances handle it, and when one was last seen. */
export function liveSteps(instances: Array<{ steps: PresentStep[]; lastSeenAt: Date }>): LiveStep[] {
  const byStep = new Map<string, LiveStep>();
  for (const instance of instances) {
    for (const { orchName, stepName } of instance.steps) {
      const key = `${orchName}\u0000${stepName}`;
      const seen = byStep.get(key);
      if (!seen) byStep.set(key, { orchName, stepName, liveInstances: 1, lastSeenAt: instance.lastSeenAt });
      else {
        seen.liveInstances++;
        if (instance.lastSeenAt > seen.lastSeenAt) seen.lastSeenAt = instance.lastSeenAt;
      }
    }
  }
  return [...byStep.values()].sort((a, b) => a.orchName.localeCompare(b.orchName) || a.stepName.localeCompare(b.stepName));
}
