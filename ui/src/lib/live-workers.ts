import type { ServicePresence, Worker } from '../api/types';

/** What presence says about one registration: live instances of that service for that step. */
export interface Liveness { liveInstances: number; lastSeenAt: string | null }

/** The presence route's service pattern: other names cannot have presence, so are not asked for. */
const SERVICE = /^[A-Za-z0-9._-]{1,100}$/;

/** The services whose presence the console must fetch: those the template API gives no liveness for. */
export function servicesToAsk(workers: Worker[]): string[] {
  return [...new Set(workers.filter((w) => w.liveInstances === undefined && SERVICE.test(w.serviceName)).map((w) => w.serviceName))].sort();
}

/**
 * Liveness of one registration: from the template API when it reports it, else from the
 * service's presence; null when neither is known (an older Baton, or presence not readable).
 */
export function livenessOf(worker: Worker, presence: ReadonlyMap<string, ServicePresence | null> | undefined): Liveness | null {
  if (worker.liveInstances !== undefined) return { liveInstances: worker.liveInstances, lastSeenAt: worker.lastSeenAt ?? null };
  const service = presence?.get(worker.serviceName);
  if (!service) return null;
  const step = service.steps.find((s) => s.orchName === worker.orchName && s.stepName === worker.stepName);
  return step ? { liveInstances: step.liveInstances, lastSeenAt: step.lastSeenAt } : { liveInstances: 0, lastSeenAt: null };
}

/** Live instances of a step over all its registered services; null when no service's liveness is known. */
export function liveCount(workers: Worker[], presence: ReadonlyMap<string, ServicePresence | null> | undefined): number | null {
  const known = workers.map((w) => livenessOf(w, presence)).filter((l): l is Liveness => l !== null);
  return known.length ? known.reduce((n, l) => n + l.liveInstances, 0) : null;
}
