import type { LiveInstance } from './readiness';

export interface PresentInstance extends LiveInstance {
  instanceId: string;
  host: string;
  sdkVersion: string;
  lastSeenAt: Date;
}

export interface LiveWorker {
  liveInstances: number;
  lastSeenAt: Date | null;
  instances: Array<Pick<PresentInstance, 'instanceId' | 'host' | 'sdkVersion' | 'lastSeenAt'>>;
}

/** The live instances of a registration's service that report handling its step, newest first. */
export function liveWorker(r: { orchName: string; stepName: string; serviceName: string }, live: PresentInstance[]): LiveWorker {
  const instances = live
    .filter((i) => i.serviceName === r.serviceName && i.steps.some((s) => s.orchName === r.orchName && s.stepName === r.stepName))
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
    .map(({ instanceId, host, sdkVersion, lastSeenAt }) => ({ instanceId, host, sdkVersion, lastSeenAt }));
  return { liveInstances: instances.length, lastSeenAt: instances[0]?.lastSeenAt ?? null, instances };
}
