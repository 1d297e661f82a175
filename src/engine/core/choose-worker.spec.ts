import { chooseWorker } from './choose-worker';

const w = (serviceName: string, createdAt: number, objectType = 'String') =>
  ({ serviceName, objectType, topic: `t.${serviceName}`, createdAt: new Date(createdAt) });

describe('chooseWorker', () => {
  it('prefers the earliest registration, then the service name', () => {
    expect(chooseWorker([w('b', 2), w('a', 3), w('c', 1)], 'String')?.serviceName).toBe('c');
    expect(chooseWorker([w('b', 1), w('a', 1)], 'String')?.serviceName).toBe('a');
  });

  it('only considers workers of the step objectType', () => {
    expect(chooseWorker([w('a', 1, 'Integer'), w('b', 2)], 'String')?.serviceName).toBe('b');
    expect(chooseWorker([w('a', 1, 'Integer')], 'String')).toBeUndefined();
  });
});
