/** A step of a template as far as readiness is concerned. */
export interface StepNeed {
  name: string;
  objectType: string;
  /** Only `worker` steps need a registered worker; built-in handlers run inside Baton. */
  handlerType: string;
}

export interface WorkerOffer {
  stepName: string;
  objectType: string;
}

/**
 * The steps that still lack a worker. A worker counts only for a step with the same objectType:
 * a worker registered before the template may have guessed differently.
 */
export function missingSteps(steps: StepNeed[], workers: WorkerOffer[]): string[] {
  const offered = new Set(workers.map((w) => `${w.stepName}\u0000${w.objectType}`));
  return steps
    .filter((s) => s.handlerType === 'worker' && !offered.has(`${s.name}\u0000${s.objectType}`))
    .map((s) => s.name);
}

export interface LiveInstance {
  serviceName: string;
  steps: Array<{ orchName: string; stepName: string }>;
}

/**
 * With READINESS=live: a registration counts only while an instance of its service that handles
 * the step is alive (its presence is recent).
 */
export function liveRegistrations<T extends { orchName: string; stepName: string; serviceName: string }>(
  registrations: T[], live: LiveInstance[],
): T[] {
  const alive = new Set(live.flatMap((i) => i.steps.map((s) => `${i.serviceName}\u0000${s.orchName}\u0000${s.stepName}`)));
  return registrations.filter((r) => alive.has(`${r.serviceName}\u0000${r.orchName}\u0000${r.stepName}`));
}
