import type { Principal } from './principal';
import { provenServiceName } from './proven-service';

const service = (name?: string): Principal => ({ id: 'k1', kind: 'api-key', roles: ['service'], ...(name ? { service: name } : {}) });

describe('provenServiceName', () => {
  it('uses the proven name when none is claimed', () => {
    expect(provenServiceName(service('a'), undefined, null)).toEqual({ ok: true, serviceName: 'a' });
  });

  it('accepts a claim equal to the proven name', () => {
    expect(provenServiceName(service('a'), 'a', 'a')).toEqual({ ok: true, serviceName: 'a' });
  });

  it('refuses another name in the header', () => {
    expect(provenServiceName(service('a'), 'b', null)).toMatchObject({ ok: false, claimed: 'b' });
  });

  it('refuses another name in the document', () => {
    expect(provenServiceName(service('a'), undefined, 'b')).toMatchObject({ ok: false, claimed: 'b' });
  });

  it('refuses a header and a document that name two services, whoever sends them (the header won silently)', () => {
    const reason = "X-Service-Name names a but the document's service is b";
    expect(provenServiceName(service('a'), 'a', 'b')).toEqual({ ok: false, claimed: 'b', reason });
    expect(provenServiceName({ id: 'x', kind: 'api-key', roles: ['admin'] }, 'a', 'b')).toEqual({ ok: false, claimed: 'b', reason });
    expect(provenServiceName(undefined, ' a ', 'a')).toEqual({ ok: true, serviceName: 'a' });
  });

  it('refuses a service principal that proves no name', () => {
    expect(provenServiceName(service(), 'a', null)).toMatchObject({ ok: false });
  });

  it('lets admins and anonymous callers name the service', () => {
    expect(provenServiceName({ id: 'x', kind: 'api-key', roles: ['admin'] }, 'b', null)).toEqual({ ok: true, serviceName: 'b' });
    expect(provenServiceName({ id: 'anonymous', kind: 'anonymous', roles: ['service', 'operator', 'viewer', 'admin'] }, undefined, 'c'))
      .toEqual({ ok: true, serviceName: 'c' });
  });

  it('falls back for definition files', () => {
    expect(provenServiceName(undefined, undefined, null, 'baton-definitions')).toEqual({ ok: true, serviceName: 'baton-definitions' });
  });
});
