import { isServiceName } from './service-name';

describe('isServiceName', () => {
  it.each(['realm-service', 'baton-orca', 'svc.v2', 'a_b', '7'])('takes %p', (name) => {
    expect(isServiceName(name)).toBe(true);
  });

  it.each(['payments@corp', 'team/x', 'a b', '', '-lead', '.hidden', 'ünï'])(
    'refuses %p, which no command topic or worker route could carry', (name) => {
      expect(isServiceName(name)).toBe(false);
    });

  it('takes at most 200 characters, the columns that keep service names', () => {
    expect([isServiceName('x'.repeat(200)), isServiceName('x'.repeat(201))]).toEqual([true, false]);
  });
});
