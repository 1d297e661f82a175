import { liveWorker, type PresentInstance } from './live-workers';

const instance = (instanceId: string, serviceName: string, at: string, steps: Array<[string, string]>): PresentInstance => ({
  instanceId, serviceName, host: `host-${instanceId}`, sdkVersion: '0.1.0', lastSeenAt: new Date(at),
  steps: steps.map(([orchName, stepName]) => ({ orchName, stepName })),
});

describe('liveWorker', () => {
  const live = [
    instance('a', 'realm', '2026-12-01T10:00:00Z', [['tenant', 'createRealm']]),
    instance('b', 'realm', '2026-12-01T10:00:05Z', [['tenant', 'createRealm'], ['tenant', 'createClient']]),
    instance('c', 'other', '2026-12-01T10:00:09Z', [['tenant', 'createRealm']]),
    instance('d', 'realm', '2026-12-01T10:00:09Z', [['billing', 'createRealm']]),
  ];

  it('counts the instances of the same service that handle the same step of the same template, newest first', () => {
    expect(liveWorker({ orchName: 'tenant', stepName: 'createRealm', serviceName: 'realm' }, live)).toEqual({
      liveInstances: 2, lastSeenAt: new Date('2026-12-01T10:00:05Z'),
      instances: [
        { instanceId: 'b', host: 'host-b', sdkVersion: '0.1.0', lastSeenAt: new Date('2026-12-01T10:00:05Z') },
        { instanceId: 'a', host: 'host-a', sdkVersion: '0.1.0', lastSeenAt: new Date('2026-12-01T10:00:00Z') },
      ],
    });
  });

  it('has no instance and no last-seen time when none is alive', () => {
    expect(liveWorker({ orchName: 'tenant', stepName: 'deleteRealm', serviceName: 'realm' }, live))
      .toEqual({ liveInstances: 0, lastSeenAt: null, instances: [] });
  });
});
