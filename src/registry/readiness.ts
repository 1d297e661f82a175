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
