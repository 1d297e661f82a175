import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Me } from '../api/types';
import { EMPTY_KEY_FORM, isOwnKey, issueUnknown, KEY_ROLES, KEY_STATE_FILTERS, KEY_STATES, keyState, newKeyBody, revokeUnknown } from './api-keys';
import { toLocalInput } from './time';

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('KEY_ROLES', () => {
  it("offers every role Baton issues keys with (ROLES, src/auth/role.ts)", () => {
    const source = readFileSync(new URL('../../../src/auth/role.ts', import.meta.url), 'utf8');
    const roles = [.../ROLES = \[([^\]]*)\]/.exec(source)![1].matchAll(/'([a-z]+)'/g)].map((m) => m[1]);
    expect(KEY_ROLES.slice().sort()).toEqual(roles.sort());
  });
});

describe('KEY_STATE_FILTERS', () => {
  it("offers every state the key list filters by (KEY_STATES, src/auth/dto/api-key.dto.ts), each a badge's state", () => {
    const source = readFileSync(new URL('../../../src/auth/dto/api-key.dto.ts', import.meta.url), 'utf8');
    const states = [.../KEY_STATES = \[([^\]]*)\]/.exec(source)![1].matchAll(/'([a-z]+)'/g)].map((m) => m[1]);
    expect(KEY_STATE_FILTERS).toEqual(states);
    expect(KEY_STATE_FILTERS.map((s) => s.toUpperCase())).toEqual(KEY_STATES);
  });
});

describe('keyState', () => {
  it('is ACTIVE without a revocation and before its expiry (or with none)', () => {
    expect(keyState({ revokedAt: null, expiresAt: null }, NOW)).toBe('ACTIVE');
    expect(keyState({ revokedAt: null, expiresAt: '2026-12-01T12:00:01Z' }, NOW)).toBe('ACTIVE');
  });

  it('is EXPIRED from its expiry on, and REVOKED once revoked, expired or not', () => {
    expect(keyState({ revokedAt: null, expiresAt: '2026-12-01T12:00:00Z' }, NOW)).toBe('EXPIRED');
    expect(keyState({ revokedAt: '2026-11-30T08:00:00Z', expiresAt: null }, NOW)).toBe('REVOKED');
    expect(keyState({ revokedAt: '2026-11-30T08:00:00Z', expiresAt: '2026-11-01T00:00:00Z' }, NOW)).toBe('REVOKED');
  });
});

describe('newKeyBody', () => {
  it('sends the trimmed name and the role, and nothing else for a key that never expires', () => {
    expect(newKeyBody({ ...EMPTY_KEY_FORM, name: '  ci deploys ', role: 'operator' })).toEqual({ name: 'ci deploys', role: 'operator' });
  });

  it('sends the service for a service key only (the API refuses one on another role)', () => {
    expect(newKeyBody({ ...EMPTY_KEY_FORM, name: 'realm', role: 'service', service: ' realm-service ' }))
      .toEqual({ name: 'realm', role: 'service', service: 'realm-service' });
    expect(newKeyBody({ ...EMPTY_KEY_FORM, name: 'ops', role: 'viewer', service: 'realm-service' })).toEqual({ name: 'ops', role: 'viewer' });
    // None typed: left out, so that the API answers that a service key needs one, by path.
    expect(newKeyBody({ ...EMPTY_KEY_FORM, name: 'realm', role: 'service', service: '  ' })).toEqual({ name: 'realm', role: 'service' });
  });

  it('sends the expiry typed in local time as an ISO instant', () => {
    const local = toLocalInput('2027-01-15T09:30:00Z');
    expect(newKeyBody({ ...EMPTY_KEY_FORM, name: 'temp', expires: local }).expiresAt).toBe('2027-01-15T09:30:00.000Z');
    expect(newKeyBody({ ...EMPTY_KEY_FORM, name: 'temp', expires: 'not a date' })).toEqual({ name: 'temp', role: 'viewer' });
  });
});

describe('isOwnKey', () => {
  const me = (kind: Me['kind'], id: string): Me => ({ id, kind, roles: ['admin'], service: null });
  it('is the key the console is signed in with: an API key principal names its prefix', () => {
    expect(isOwnKey(me('api-key', 'ab12cd34'), { prefix: 'ab12cd34' })).toBe(true);
    expect(isOwnKey(me('api-key', 'ab12cd34'), { prefix: 'zz99zz99' })).toBe(false);
    expect(isOwnKey(me('jwt', 'ab12cd34'), { prefix: 'ab12cd34' })).toBe(false);
    expect(isOwnKey(null, { prefix: 'ab12cd34' })).toBe(false);
  });
});

describe('revokeUnknown', () => {
  it('names the key, says the outcome is unknown and that trying again is safe', () => {
    expect(revokeUnknown('ab12cd34')).toBe('Baton could not be reached, so it is unknown whether key ab12cd34 was revoked. The list shows it once Baton answers; revoking it again is safe.');
  });
});

describe('issueUnknown', () => {
  it('says a key may have been issued whose secret nobody received, and to revoke it', () => {
    expect(issueUnknown('ci deploys')).toBe('Baton could not be reached, so it is unknown whether the key “ci deploys” was issued. '
      + 'If the list shows it once Baton answers, its secret was never received: revoke it and issue another.');
  });
});
