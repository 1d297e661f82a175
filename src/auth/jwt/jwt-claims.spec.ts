import { principalFromClaims } from './jwt-claims';

const paths = { service: ['service', 'azp'], roles: ['roles', 'realm_access.roles'] };

describe('principalFromClaims', () => {
  it('reads Keycloak realm roles and the client id as service', () => {
    const p = principalFromClaims({ sub: 'u1', azp: 'tenant-service', realm_access: { roles: ['service', 'offline_access'] } }, paths);
    expect(p).toEqual({ id: 'jwt:u1', kind: 'jwt', roles: ['service'], service: 'tenant-service' });
  });

  it('takes the first configured claim that is present', () => {
    const p = principalFromClaims({ sub: 'u', service: 'a', azp: 'b', roles: ['viewer'], realm_access: { roles: ['admin'] } }, paths);
    expect(p.service).toBe('a');
    expect(p.roles).toEqual(['viewer']);
  });

  it('accepts a space-separated role string', () => {
    expect(principalFromClaims({ roles: 'viewer operator junk' }, paths).roles).toEqual(['viewer', 'operator']);
  });

  it('grants nothing when the claims carry no Baton role', () => {
    expect(principalFromClaims({ sub: 'x', roles: ['superuser'] }, paths).roles).toEqual([]);
  });

  it('does not walk into prototypes', () => {
    expect(principalFromClaims({ sub: 'x' }, { service: ['constructor.name'], roles: ['__proto__'] })).toEqual({ id: 'jwt:x', kind: 'jwt', roles: [] });
  });
});
