import type { Principal } from './principal';
import { assertMayRead, ownServiceOnly } from './service-scope';

const p = (roles: Principal['roles'], service?: string): Principal => ({ id: 'k', kind: 'api-key', roles, service });

describe('ownServiceOnly / assertMayRead', () => {
  it('limits a service principal to its own service', () => {
    expect(ownServiceOnly(p(['service'], 'a'))).toBe('a');
    expect(() => assertMayRead(p(['service'], 'a'), 'a', 'x')).not.toThrow();
    expect(() => assertMayRead(p(['service'], 'a'), 'b', 'x')).toThrow(/another service/);
  });

  it('lets reading roles read everything', () => {
    expect(ownServiceOnly(p(['service', 'viewer'], 'a'))).toBeUndefined();
    expect(() => assertMayRead(p(['operator']), 'b', 'x')).not.toThrow();
    expect(ownServiceOnly({ id: 'anonymous', kind: 'anonymous', roles: ['service', 'operator', 'viewer', 'admin'] })).toBeUndefined();
  });

  it('lets a service principal without a service name read nothing', () => {
    expect(() => assertMayRead(p(['service']), 'b', 'x')).toThrow();
  });
});
