import type { Principal } from '../principal';
import type { ServiceRules } from '../service-topic';
import { principalFromClaims } from './jwt-claims';

const paths = { service: ['service', 'azp'], roles: ['roles', 'realm_access.roles'] };
const topics: ServiceRules = { reserved: ['orchestrator.reply'], commandPrefix: 'orchestrator.commands.', consumerGroup: 'baton-engine' };

const principalOf = (payload: Record<string, unknown>, claimPaths = paths): Principal => {
  const verdict = principalFromClaims(payload, claimPaths, topics);
  if (!('principal' in verdict)) throw new Error(`refused: ${verdict.refusal}`);
  return verdict.principal;
};

describe('principalFromClaims', () => {
  it('reads Keycloak realm roles and the client id as service', () => {
    const p = principalOf({ sub: 'u1', azp: 'tenant-service', realm_access: { roles: ['service', 'offline_access'] } });
    expect(p).toEqual({ id: 'jwt:u1', kind: 'jwt', roles: ['service'], service: 'tenant-service' });
  });

  it('takes the first configured claim that is present', () => {
    const p = principalOf({ sub: 'u', service: 'a', azp: 'b', roles: ['service'], realm_access: { roles: ['admin'] } });
    expect(p.service).toBe('a');
    expect(p.roles).toEqual(['service']);
  });

  it('accepts a space-separated role string', () => {
    expect(principalOf({ roles: 'viewer operator junk' }).roles).toEqual(['viewer', 'operator']);
  });

  it('grants nothing when the claims carry no Baton role', () => {
    expect(principalOf({ sub: 'x', roles: ['superuser'] }).roles).toEqual([]);
  });

  it('does not walk into prototypes', () => {
    expect(principalOf({ sub: 'x' }, { service: ['constructor.name'], roles: ['__proto__'] })).toEqual({ id: 'jwt:x', kind: 'jwt', roles: [] });
  });

  it.each(['payments@corp', 'team/x', 'a b', '', '-lead', 42, 'x'.repeat(201)].map((s) => [String(s).slice(0, 15), s]))(
    'refuses a service token whose service claim "%s" is no service name', (_name, service) => {
      expect(principalFromClaims({ sub: 'u', roles: ['service'], service }, paths, topics))
        .toEqual({ refusal: expect.stringMatching(/^the token's service claim \(service or azp\) must start with a letter or digit/) });
    });

  it("refuses a service token whose service's command topic no worker may register: svc-a.DLQ would poll svc-a's dead letters", () => {
    expect(principalFromClaims({ sub: 'u', roles: ['service'], azp: 'svc-a.DLQ' }, paths, topics)).toEqual({
      refusal: "the token's service claim (service or azp) names svc-a.DLQ: its command topic orchestrator.commands.svc-a.DLQ "
        + 'is a dead-letter or internal topic of Baton',
    });
    expect(principalOf({ sub: 'u', roles: ['service'], azp: 'svc-a.DLQ-tools' }).service).toBe('svc-a.DLQ-tools');
    expect(principalOf({ sub: 'u', roles: ['viewer'], azp: 'svc-a.DLQ' })).toEqual({ id: 'jwt:u', kind: 'jwt', roles: ['viewer'] });
  });

  it("refuses a service token naming a service in Baton's own consumer groups, whose pollers would join Baton's consumers", () => {
    expect(principalFromClaims({ sub: 'u', roles: ['service'], azp: 'baton-engine.orchestrator.reply' }, paths, topics)).toEqual({
      refusal: "the token's service claim (service or azp) names baton-engine.orchestrator.reply: "
        + "must not be baton-engine or start with baton-engine.: Baton's own consumer groups",
    });
    expect(principalFromClaims({ sub: 'u', roles: ['service'], service: 'baton-engine' }, paths, topics)).toHaveProperty('refusal');
    expect(principalOf({ sub: 'u', roles: ['service'], azp: 'baton-engines' }).service).toBe('baton-engines');
    expect(principalOf({ sub: 'u', roles: ['viewer'], azp: 'baton-engine' })).toEqual({ id: 'jwt:u', kind: 'jwt', roles: ['viewer'] });
  });

  it('ignores such a claim on a token without the service role, which never acts as its service', () => {
    expect(principalOf({ sub: 'u', roles: ['viewer'], azp: 'https://console.example' }))
      .toEqual({ id: 'jwt:u', kind: 'jwt', roles: ['viewer'] });
  });

  /** Keycloak puts `azp` in every token: an operator signed in at the console is no service "baton-console". */
  it.each(['operator', 'admin', 'viewer', 'operator admin'])('proves no service for a token of roles %p, whatever its service claims', (listed) => {
    const roles = listed.split(' ');
    expect(principalOf({ sub: 'op', roles, azp: 'baton-console', service: 'shop' })).toEqual({ id: 'jwt:op', kind: 'jwt', roles });
    expect(principalOf({ sub: 'op', roles: [...roles, 'service'], azp: 'baton-console' }).service).toBe('baton-console');
  });

  it('makes a subject fit the records it names its actor in: a NUL or lone surrogate becomes U+FFFD, and a cut never splits a pair', () => {
    expect(principalOf({ sub: 'o\u0000p', roles: ['viewer'] }).id).toBe('jwt:o\uFFFDp');
    expect(principalOf({ sub: '\ud800x', roles: ['viewer'] }).id).toBe('jwt:\uFFFDx');
    expect(principalOf({ sub: `${'a'.repeat(189)}\u{1F600}`, roles: ['viewer'] }).id).toBe(`jwt:${'a'.repeat(189)}`);
  });
});
