import { missingSteps } from './readiness';

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
