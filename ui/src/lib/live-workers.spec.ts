import { describe, expect, it } from 'vitest';
import type { ServicePresence, Worker } from '../api/types';
import { liveCount, livenessOf, servicesToAsk } from './live-workers';

const worker = (serviceName: string, stepName: string, more: Partial<Worker> = {}): Worker => ({
  id: `${serviceName}/${stepName}`, orchName: 'tenant', stepName, serviceName, objectType: 'String', topic: `cmd.${serviceName}`,
  createdAt: '2026-12-01T12:00:00Z', updatedAt: '2026-12-01T12:00:00Z', ...more,
});
const presence = (service: string, steps: [string, number][]): ServicePresence => ({
  service, instances: [],
  steps: steps.map(([stepName, liveInstances]) => ({ orchName: 'tenant', stepName, liveInstances, lastSeenAt: '2026-12-01T12:00:05Z' })),
});

describe('live workers per step', () => {
  it('asks once per service, only for names presence can have and registrations without liveness', () => {
    const workers = [worker('realm-svc', 'a'), worker('realm-svc', 'b'), worker('bad name', 'c'), worker('client-svc', 'd', { liveInstances: 1 })];
    expect(servicesToAsk(workers)).toEqual(['realm-svc']);
  });

  it('reads a step\'s live instances from its service\'s presence, and zero when the service reports the step nowhere', () => {
    const map = new Map([['realm-svc', presence('realm-svc', [['a', 2]])]]);
    expect(livenessOf(worker('realm-svc', 'a'), map)).toEqual({ liveInstances: 2, lastSeenAt: '2026-12-01T12:00:05Z' });
    expect(livenessOf(worker('realm-svc', 'b'), map)).toEqual({ liveInstances: 0, lastSeenAt: null });
    // Same step name in another template is not this registration.
    expect(livenessOf(worker('realm-svc', 'a', { orchName: 'other' }), map)).toEqual({ liveInstances: 0, lastSeenAt: null });
  });

  it('says unknown, not zero, when presence could not be read', () => {
    expect(livenessOf(worker('realm-svc', 'a'), new Map([['realm-svc', null]]))).toBeNull();
    expect(livenessOf(worker('realm-svc', 'a'), undefined)).toBeNull();
    expect(liveCount([worker('realm-svc', 'a')], undefined)).toBeNull();
  });

  it('prefers liveness the template API reports itself, and sums a step\'s services', () => {
    const map = new Map([['realm-svc', presence('realm-svc', [['a', 2]])]]);
    const both = [worker('realm-svc', 'a'), worker('backup-svc', 'a', { liveInstances: 3, lastSeenAt: '2026-12-01T12:00:09Z' })];
    expect(livenessOf(both[1], map)).toEqual({ liveInstances: 3, lastSeenAt: '2026-12-01T12:00:09Z' });
    expect(liveCount(both, map)).toBe(5);
  });
});
