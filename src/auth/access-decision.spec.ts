import { decideAccess } from './access-decision';
import type { Principal } from './principal';

const as = (...roles: Principal['roles']): Principal => ({ id: 'p', kind: 'api-key', roles });

describe('decideAccess', () => {
  it('lets anyone call a public route', () => {
    expect(decideAccess('public', undefined)).toBe('allow');
  });

  it('asks for credentials on a role route', () => {
    expect(decideAccess(['viewer'], undefined)).toBe('unauthenticated');
  });

  it('allows a principal with one of the roles', () => {
    expect(decideAccess(['viewer', 'operator'], as('operator'))).toBe('allow');
  });

  it('forbids a principal with none of them', () => {
    expect(decideAccess(['operator'], as('service', 'viewer'))).toBe('forbidden');
  });

  it('lets admin call every role route', () => {
    expect(decideAccess(['service'], as('admin'))).toBe('allow');
  });

  it('refuses a route that declares nothing, even to admin', () => {
    expect(decideAccess(undefined, as('admin'))).toBe('undeclared');
  });
});
