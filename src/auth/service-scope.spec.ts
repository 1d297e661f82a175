import type { Principal } from './principal';
import { ownServiceOnly, ownTemplatesOnly } from './service-scope';

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

describe('ownTemplatesOnly', () => {
  it('lets a service principal start only its own templates, a reading role or not', () => {
    expect(ownTemplatesOnly(p(['service'], 'a'))).toBe('a');
    expect(ownTemplatesOnly(p(['service', 'viewer'], 'a'))).toBe('a');
    expect(ownTemplatesOnly(p(['service']))).toBe('');
  });

  it('lets operators and admins start any template', () => {
    expect(ownTemplatesOnly(p(['service', 'operator'], 'a'))).toBeUndefined();
    expect(ownTemplatesOnly(p(['service', 'admin'], 'a'))).toBeUndefined();
    expect(ownTemplatesOnly(p(['operator']))).toBeUndefined();
    expect(ownTemplatesOnly(undefined)).toBeUndefined();
  });
});
