import type { Page } from 'playwright-core';
import { expectEventually } from '../helpers/expect-eventually';
import { authOn, bearer, newAdminKey } from '../helpers/auth';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { startIdentityProvider, TestIdentityProvider } from './oidc-provider';

const CLIENT_ID = 'baton-console';
const AUDIENCE = 'https://baton.test/api';
const TOKEN_TTL_SECONDS = 12;

describe('operator console: OIDC sign-in (authorization code + PKCE) against oidc-provider on loopback', () => {
  const admin = newAdminKey();
  let idp: TestIdentityProvider;
  let h: ConsoleHarness;
  let page: Page;

  beforeAll(async () => {
    idp = await startIdentityProvider();
    h = await startConsole(authOn(admin, {
      AUTH_JWKS_URL: `${idp.issuer}/jwks`, AUTH_JWT_ISSUER: idp.issuer, AUTH_JWT_AUDIENCE: AUDIENCE,
      CONSOLE_OIDC_CLIENT_ID: CLIENT_ID, CONSOLE_OIDC_SCOPES: 'openid baton', CONSOLE_OIDC_RESOURCE: AUDIENCE,
    }));
    await idp.serve({
      clientId: CLIENT_ID, redirectUri: `${h.base}/ui/auth/callback`, audience: AUDIENCE, roles: ['operator'], accessTokenTtl: TOKEN_TTL_SECONDS,
    });
    page = await h.page();
    // The provider's development pages import a web font; there is no internet here.
    await page.route(/fonts\.googleapis\.com/, (route) => route.abort());
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await idp?.close();
  });

  const signInAtProvider = async (login: string) => {
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  it('signs in through the provider\'s login page and shows the runs page with the user\'s roles, sending the access token as Bearer', async () => {
    const run = await h.app.http.post('/api/orchestration/execute/demoOrder').set(bearer(admin)).send({ orderId: 7 }).expect(202);
    const sent: string[] = [];
    page.on('request', (r) => { if (r.url().startsWith(`${h.base}/api/`)) sent.push(r.headers().authorization ?? ''); });

    await page.goto(`${h.base}/ui/runs`);
    await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    await shot(page, 'login-oidc');
    await page.getByRole('button', { name: `Sign in with ${new URL(idp.issuer).host}`, exact: true }).click();
    await page.waitForURL(`${idp.issuer}/**`);
    await signInAtProvider('alice');

    await page.waitForURL(`${h.base}/ui/runs`);
    await page.getByRole('heading', { name: /Runs/ }).waitFor();
    await page.locator(`tr[data-flow-id="${run.body.flowId}"]`).waitFor();
    expect(await page.locator('header .who').textContent()).toContain('jwt:alice (operator)');
    const tokens = sent.filter((a) => a.startsWith('Bearer ey'));
    expect(tokens.length).toBeGreaterThan(0);
    // The token Baton accepted is the provider's JWT for Baton's audience, never the API key.
    const claims = JSON.parse(Buffer.from(tokens[0].split('.')[1], 'base64url').toString());
    expect([claims.iss, claims.aud, claims.sub, claims.roles]).toEqual([idp.issuer, AUDIENCE, 'alice', ['operator']]);
    await shot(page, 'runs-oidc');
  });

  /** Where the tab navigated from now on, redirects included (a provider that remembers the person only redirects). */
  const navigations = () => {
    const urls: string[] = [];
    page.on('request', (r) => { if (r.isNavigationRequest() && r.frame() === page.mainFrame()) urls.push(r.url()); });
    return { urls, toProvider: () => urls.some((u) => u.startsWith(idp.issuer)) };
  };
  const token = () => page.evaluate<string | null>("JSON.parse(sessionStorage.getItem('baton.accessToken') ?? 'null')?.token ?? null");

  it('without a refresh token, sends the person through the provider when the token expires, back to the same page and filters', async () => {
    const filtered = `${h.base}/ui/runs?status=COMPLETED&orchName=demoOrder`;
    await page.goto(filtered);
    await page.getByRole('heading', { name: /Runs/ }).waitFor();
    const seen = navigations();
    // The provider remembers alice and her consent: no click anywhere, straight back where she was.
    await expectEventually(() => expect(seen.toProvider()).toBe(true), { timeoutMs: (TOKEN_TTL_SECONDS + 10) * 1000 });
    await page.waitForURL(filtered);
    await page.getByRole('heading', { name: /Runs/ }).waitFor();
    expect(await page.locator('header .who').textContent()).toContain('jwt:alice (operator)');
  }, 60_000);

  it('with a refresh token, renews the access token before it expires, without leaving the page', async () => {
    idp.refreshTokens.issued = true;
    // Signed out, which ends the provider's session too (RP-initiated logout): back at the console, signed out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${idp.issuer}/session/end?*`);
    const ended = new URL(page.url()).searchParams;
    expect([ended.get('client_id'), ended.get('post_logout_redirect_uri')]).toEqual([CLIENT_ID, `${h.base}/ui`]);
    expect(ended.get('id_token_hint')).toMatch(/^ey/);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${h.base}/ui`);
    await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    // Then in again, to get a refresh token this time: the provider no longer knows alice, so she signs in anew.
    await page.getByRole('button', { name: `Sign in with ${new URL(idp.issuer).host}`, exact: true }).click();
    await page.waitForURL(`${idp.issuer}/**`);
    await signInAtProvider('alice');
    await page.waitForURL(`${h.base}/ui/**`);
    await page.getByRole('heading', { name: /Runs/ }).waitFor();
    const first = await token();
    const seen = navigations();
    // Past two lifetimes of the first token: renewed at least twice, and never sent expired.
    await page.waitForTimeout(2 * TOKEN_TTL_SECONDS * 1000 + 2000);
    expect(seen.urls).toEqual([]);
    const renewed = await token();
    expect(renewed).not.toBeNull();
    expect(renewed).not.toBe(first);
    expect(await page.locator('header .who').textContent()).toContain('jwt:alice (operator)');
    await page.getByRole('heading', { name: /Runs/ }).waitFor();
  }, 60_000);

  it('keeps the API-key sign-in beside it', async () => {
    const p = await h.page();
    await p.goto(`${h.base}/ui/templates`);
    await p.getByLabel('API key').fill(admin);
    await p.getByRole('button', { name: 'Sign in with the key', exact: true }).click();
    await p.getByRole('heading', { name: 'Templates' }).waitFor();
    expect(await p.locator('header .who').textContent()).toContain('(admin)');
  });
});
