import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '../api/client';
import type { Me } from '../api/types';
import { identityRetryMs, isAdmin, roleNotice } from '../lib/roles';
import { canAct } from '../lib/run-actions';
import { afterMeFailure, loadMe, type Session } from './session';

const loading: Session = { state: 'loading' };

describe('who the console acts as, when Baton does not say', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('takes only a 404 (a Baton without GET /api/auth/me) for "everything is offered"', async () => {
    vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
    vi.stubGlobal('fetch', async () => new Response('{"code":"NOT_FOUND","message":"no"}', { status: 404 }));
    await expect(loadMe()).resolves.toBeNull();
    vi.stubGlobal('fetch', async () => new Response('{"code":"INTERNAL","message":"boom"}', { status: 500 }));
    await expect(loadMe()).rejects.toBeInstanceOf(ApiError);
  });

  it('leaves the identity unknown, not "allowed everything", after an outage, a 500 or a 403', () => {
    for (const error of [new NetworkError(), new ApiError(503, 'UNAVAILABLE', 'down'), new ApiError(500, 'INTERNAL', 'boom'), new ApiError(403, 'FORBIDDEN', 'no')]) {
      const s = afterMeFailure(error, loading);
      expect(s).toEqual({ state: 'ready', me: undefined });
      const me = s.state === 'ready' ? s.me : null;
      expect(isAdmin(me)).toBe(false);
      expect(canAct(me)).toBe(false);
      expect(roleNotice('This page', 'is for admins only', me)).toContain('not known yet');
    }
  });

  it('shows the sign-in form for a lockout, and keeps it when a 401 brought it', () => {
    const locked = new ApiError(429, 'TOO_MANY_FAILED_SIGN_INS', 'wait');
    expect(afterMeFailure(locked, loading)).toEqual({ state: 'login', reason: 'required', refusal: locked });
    const login: Session = { state: 'login', reason: 'refused' };
    expect(afterMeFailure(new ApiError(401, 'UNAUTHORIZED', 'no'), login)).toBe(login);
  });

  it('asks again less often each time, at most every 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(identityRetryMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('still offers everything without an identity endpoint, and a known role what it allows', () => {
    expect([isAdmin(null), canAct(null)]).toEqual([true, true]);
    const viewer = { id: 'ab12', kind: 'api-key', roles: ['viewer'] } as unknown as Me;
    expect([isAdmin(viewer), canAct(viewer)]).toEqual([false, false]);
  });
});
