import { liveRegistrations, missingSteps } from './readiness';

describe('missingSteps', () => {
  const steps = [
    { name: 'createRealm', objectType: 'String', handlerType: 'worker' },
    { name: 'createClient', objectType: 'String', handlerType: 'worker' },
    { name: 'provision', objectType: 'Job', handlerType: 'awx' },
  ];

  it('lists worker steps nobody registered for, never built-in ones', () => {
    expect(missingSteps(steps, [])).toEqual(['createRealm', 'createClient']);
  });

  it('is empty once every worker step has a worker', () => {
    const workers = [{ stepName: 'createRealm', objectType: 'String' }, { stepName: 'createClient', objectType: 'String' }];
    expect(missingSteps(steps, workers)).toEqual([]);
  });

  it('ignores a worker whose objectType differs', () => {
    expect(missingSteps(steps, [{ stepName: 'createRealm', objectType: 'Integer' }])).toContain('createRealm');
  });
});

describe('liveRegistrations', () => {
  const reg = (serviceName: string, stepName: string) => ({ orchName: 'o', stepName, serviceName, objectType: 'String' });

  it('keeps a registration only while an instance of its service handling that step is live', () => {
    const registrations = [reg('a', 's1'), reg('a', 's2'), reg('b', 's1')];
    const live = [{ serviceName: 'a', steps: [{ orchName: 'o', stepName: 's1' }] }];
    expect(liveRegistrations(registrations, live)).toEqual([reg('a', 's1')]);
  });

  it('does not count an instance of another template or service', () => {
    const live = [{ serviceName: 'b', steps: [{ orchName: 'other', stepName: 's1' }] }];
    expect(liveRegistrations([reg('b', 's1'), reg('a', 's1')], live)).toEqual([]);
  });
});
