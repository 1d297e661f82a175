export interface WorkerCandidate {
  serviceName: string;
  objectType: string;
  topic: string;
  createdAt: Date;
}

/**
 * When several services registered a step, the earliest registration wins (ties by service name):
 * the choice is stable across runs and instances, and a newcomer never silently takes over a step.
 */
export function chooseWorker(candidates: WorkerCandidate[], objectType: string): WorkerCandidate | undefined {
  return candidates
    .filter((c) => c.objectType === objectType)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.serviceName.localeCompare(b.serviceName))[0];
}
