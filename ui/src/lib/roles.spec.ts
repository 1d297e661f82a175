import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Me } from '../api/types';
import { isAdmin, isForbidden, roleNotice, signedInAs } from './roles';

const me = (...roles: Me['roles']): Me => ({ id: 'ab12cd34', kind: 'api-key', roles, service: null });

describe('roles', () => {
  it('shows the admin pages to an admin, and to a console that cannot tell who it is (the API decides)', () => {
    expect(isAdmin(me('admin'))).toBe(true);
    expect(isAdmin(null)).toBe(true);
    expect(isAdmin(me('viewer'))).toBe(false);
    expect(isAdmin(me('operator', 'viewer'))).toBe(false);
    expect(isAdmin(me())).toBe(false);
  });

  it('says who the console is signed in as, and "no role" for a token that carries none', () => {
    expect(signedInAs(me('viewer', 'operator'))).toBe('ab12cd34 (viewer, operator)');
    expect(signedInAs({ id: 'jwt:bob', kind: 'jwt', roles: [], service: null })).toBe('jwt:bob (no role)');
  });

  it('names the role a page needs, and who is signed in, or only that Baton refused when the console cannot tell', () => {
    expect(roleNotice('API keys are', 'for admins only', me('viewer')))
      .toBe('API keys are for admins only; you are signed in as ab12cd34 (viewer).');
    expect(roleNotice('API keys are', 'for admins only', null)).toBe('API keys are for admins only, and Baton refused it for this sign-in.');
  });
});

describe('isForbidden', () => {
  it('is a 403 from the API, and nothing else', () => {
    expect(isForbidden(new ApiError(403, 'FORBIDDEN', 'Forbidden: needs role admin'))).toBe(true);
    expect(isForbidden(new ApiError(401, 'UNAUTHENTICATED', 'no key'))).toBe(false);
    expect(isForbidden(new Error('403'))).toBe(false);
    expect(isForbidden(undefined)).toBe(false);
  });
});
