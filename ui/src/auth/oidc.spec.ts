import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const issuer = 'http://127.0.0.1:9999';
const config = { issuer, clientId: 'console', scopes: 'openid', resource: null };
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

/**
 * The tab's sessionStorage, and a provider whose token endpoint answers when `answer` is called
 * (a renewal in flight meanwhile), with a revocation endpoint when `revocation` is set and an
 * end-session endpoint when `endSession` is.
 */
function stubProvider({ revocation = false, endSession = false } = {}) {
  const stored = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v), removeItem: (k: string) => stored.delete(k),
  });
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => { answer = resolve; });
  const revoked: string[] = [];
  vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer: `${issuer}/`, token_endpoint: `${issuer}/token`, ...(revocation ? { revocation_endpoint: `${issuer}/revoke` } : {}),
        ...(endSession ? { end_session_endpoint: `${issuer}/session/end` } : {}),
      });
    }
    if (url.pathname === '/token') {
      await answered;
      return json({ access_token: 'renewed', token_type: 'Bearer', expires_in: 300, refresh_token: 'rotated' });
    }
    if (url.pathname === '/revoke') {
      revoked.push(new URLSearchParams(String(init?.body)).get('token') ?? '');
      return new Response(null, { status: 200 });
    }
    return new Response(null, { status: 404 });
  });
  return { answer, revoked };
}

/** The modules afresh: a sign-out is for the rest of the page's life. */
async function load() {
  vi.resetModules();
  const [client, consoleConfig, oidc] = await Promise.all([import('../api/client'), import('./console-config'), import('./oidc')]);
  return { ...client, ...consoleConfig, ...oidc };
}

describe('signing out of an OIDC session', () => {
  beforeEach(() => vi.stubGlobal('location', { origin: 'http://127.0.0.1:3000' }));
  afterEach(() => vi.unstubAllGlobals());

  it('keeps what a renewal gets while signed in', async () => {
    const provider = stubProvider();
    const { accessToken, refreshGrant, renew } = await load();
    refreshGrant.set('refresh-1', config);
    provider.answer();
    expect(await renew(config, 'refresh-1')).toBe(true);
    expect(accessToken.get()?.token).toBe('renewed');
    expect(refreshGrant.get()?.refreshToken).toBe('rotated');
  });

  it('drops what a renewal still in flight gets when it completes: the person stays signed out', async () => {
    const provider = stubProvider();
    const { accessToken, refreshGrant, renew, signOut } = await load();
    accessToken.set('first', 300);
    refreshGrant.set('refresh-1', config);
    const renewal = renew(config, 'refresh-1');
    signOut();
    provider.answer();
    await renewal;
    expect(accessToken.get()).toBeNull();
    expect(refreshGrant.get()).toBeNull();
  });

  it('asks the provider to revoke the refresh token where it offers a revocation endpoint', async () => {
    const provider = stubProvider({ revocation: true });
    const { refreshGrant, signOutAndRevoke } = await load();
    refreshGrant.set('refresh-2', config);
    await signOutAndRevoke();
    expect(provider.revoked).toEqual(['refresh-2']);
    expect(refreshGrant.get()).toBeNull();
  });

  it('revokes nothing where the provider offers no revocation endpoint, and still signs out', async () => {
    const provider = stubProvider();
    const { accessToken, refreshGrant, signOutAndRevoke } = await load();
    accessToken.set('first', 300);
    refreshGrant.set('refresh-3', config);
    await signOutAndRevoke();
    expect(provider.revoked).toEqual([]);
    expect([accessToken.get(), refreshGrant.get()]).toEqual([null, null]);
  });

  it("sends the browser to the provider's end-session page with the sign-in's ID token, back to the console", async () => {
    stubProvider({ endSession: true });
    const { providerSession, signOutAndRevoke } = await load();
    providerSession.set('id-token-1', config);
    const to = new URL((await signOutAndRevoke())!);
    expect(`${to.origin}${to.pathname}`).toBe(`${issuer}/session/end`);
    expect(Object.fromEntries(to.searchParams)).toEqual({
      client_id: 'console', id_token_hint: 'id-token-1', post_logout_redirect_uri: 'http://127.0.0.1:3000/ui',
    });
    expect(providerSession.get()).toBeNull();
  });

  it('reloads the console signed out where the provider offers no end-session page, or there was no OIDC sign-in', async () => {
    stubProvider();
    const { providerSession, signOutAndRevoke } = await load();
    providerSession.set('id-token-2', config);
    expect(await signOutAndRevoke()).toBeNull();
    expect(providerSession.get()).toBeNull();
    expect(await signOutAndRevoke()).toBeNull();
  });
});
