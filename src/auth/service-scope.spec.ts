import type { Principal } from './principal';
import { ownServiceOnly } from './service-scope';

const p = (roles: Principal['roles'], service?: string): Principal => ({ id: 'k', kind: 'api-key', roles, service });

describe('ownServiceOnly', () => {
  it('limits a service principal to its own service', () => {
    expect(ownServiceOnly(p(['service'], 'a'))).toBe('a');
  });

  it('lets reading roles read everything', () => {
    expect(ownServiceOnly(p(['service', 'viewer'], 'a'))).toBeUndefined();
    expect(ownServiceOnly(p(['operator']))).toBeUndefined();
    expect(ownServiceOnly({ id: 'anonymous', kind: 'anonymous', roles: ['service', 'operator', 'viewer', 'admin'] })).toBeUndefined();
  });

  it('lets a service principal without a service name read nothing', () => {
    expect(ownServiceOnly(p(['service']))).toBe('');
  });
});
