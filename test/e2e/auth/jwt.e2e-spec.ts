import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newAdminKey } from '../../helpers/auth';
import { AUDIENCE, b64, ISSUER, rsaKey, signJwt as sign, SigningKey } from '../../helpers/jwt';
import { startTestApp, TestApp } from '../../helpers/test-app';

describe('JWT bearer tokens against a JWKS served on loopback', () => {
  let jwks: Server;
  let published: SigningKey[];
  let fetches = 0;
  let t: TestApp;
  const first = rsaKey();
  const admin = newAdminKey();

  beforeAll(async () => {
    published = [first];
    jwks = createServer((_req, res) => {
      fetches++;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs`;
    t = await startTestApp({
      AUTH_MODE: 'on', ADMIN_API_KEY: admin, AUTH_JWKS_URL: url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE,
      AUTH_JWKS_COOLDOWN_MS: '0', AUTH_FAILURE_LIMIT: '1000', CONSOLE_OIDC_CLIENT_ID: 'baton-console', CONSOLE_OIDC_SCOPES: 'openid roles',
      CONSOLE_OIDC_ORIGINS: 'https://tokens.idp.example, https://idp.example',
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const me = (token: string) => t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`);

  it('accepts a valid token and reads roles and service from Keycloak-style claims', async () => {
    const res = await me(sign(first, { azp: 'tenant-service', realm_access: { roles: ['service', 'offline_access'] } })).expect(200);
    expect(res.body).toEqual({ id: 'jwt:user-1', kind: 'jwt', roles: ['service'], service: 'tenant-service' });
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ['from another issuer', { iss: 'https://evil.example' }],
    ['for another audience', { aud: 'other-app' }],
    ['without expiry', { exp: undefined }],
  ])('refuses a token %s with 401', async (_case, claims) => {
    const res = await me(sign(first, { roles: ['admin'], ...claims })).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it.each(['payments@corp', 'team/x', 'a b'])('refuses a service token whose service claim is %p with 401, saying why', async (service) => {
    const res = await me(sign(first, { roles: ['service'], service })).expect(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining("the token's service claim (service or azp) must start with") });
    const audit = await t.http.get('/api/admin/security-audit').query({ event: 'DENIED' }).set('X-API-Key', admin).expect(200);
    expect(audit.body.items[0]).toMatchObject({ code: 'UNAUTHENTICATED', reason: expect.stringContaining("service claim") });
  });

  it('ignores a client id that is no service name on a token that is not a service', async () => {
    const res = await me(sign(first, { roles: ['viewer'], azp: 'https://console.example' })).expect(200);
    expect(res.body).toEqual({ id: 'jwt:user-1', kind: 'jwt', roles: ['viewer'], service: null });
  });

  it("proves no service for an operator's token, whose azp (as Keycloak puts in every token) names the console", async () => {
    const res = await me(sign(first, { roles: ['operator'], azp: 'baton-console' })).expect(200);
    expect(res.body).toEqual({ id: 'jwt:user-1', kind: 'jwt', roles: ['operator'], service: null });
  });

  it.each([['a NUL', 'o\u0000p', 'jwt:o\uFFFDp'], ['a lone surrogate', '\ud800x', 'jwt:\uFFFDx'],
    ['an emoji across the 190th character', `${'a'.repeat(189)}\u{1F600}`, `jwt:${'a'.repeat(189)}`]])(
    'acts for a subject with %s, recorded as it fits (it failed the write with a 500)', async (_case, sub, id) => {
      const token = sign(first, { sub, roles: ['admin'] });
      expect((await me(token).expect(200)).body.id).toBe(id);
      const made = await t.http.post('/api/admin/api-keys').set('Authorization', `Bearer ${token}`).send({ name: 'by a subject', role: 'viewer' }).expect(201);
      expect(made.body.createdBy).toBe(id);
      const revoked = await t.http.delete(`/api/admin/api-keys/${made.body.prefix}`).set('Authorization', `Bearer ${token}`).expect(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
    });

  it('refuses a token signed by a key the JWKS does not hold', async () => {
    const stranger = rsaKey();
    await me(sign(stranger, { roles: ['admin'] })).expect(401);
    await me(sign({ ...stranger, kid: first.kid }, { roles: ['admin'] })).expect(401);
  });

  it('refuses alg: none', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x', roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 300 })}.`;
    await me(unsigned).expect(401);
  });

  it("a service token with viewer reads every template, yet starts only its own service's", async () => {
    const template = { orchName: 'billingRefund', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'refund', objectType: 'String' }] };
    await t.http.post('/api/orchestration/register').set('X-API-Key', admin).set('X-Service-Name', 'billing').send(template).expect(201);
    const shop = sign(first, { roles: ['service', 'viewer'], service: 'shop' });
    await t.http.get('/api/orchestration/templates/billingRefund').set('Authorization', `Bearer ${shop}`).expect(200);
    const res = await t.http.post('/api/orchestration/execute/billingRefund').set('Authorization', `Bearer ${shop}`).send({}).expect(404);
    expect(res.body.code).toBe('TEMPLATE_NOT_FOUND');
    const billing = sign(first, { roles: ['service', 'viewer'], service: 'billing' });
    await t.http.post('/api/orchestration/execute/billingRefund').set('Authorization', `Bearer ${billing}`).send({}).expect(202);
  });

  it('refuses a token made to sign one message (body_sha256) as a bearer token: a reader of the topic or its DLQ holds it', async () => {
    const res = await me(sign(first, { roles: ['service'], service: 'shop', body_sha256: 'a'.repeat(64) })).expect(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('body_sha256') });
  });

  it('follows a key rotated in the JWKS without a restart', async () => {
    const rotated = rsaKey();
    published = [rotated];
    const before = fetches;
    await me(sign(rotated, { roles: ['viewer'] })).expect(200);
    expect(fetches).toBeGreaterThan(before);
  });

  it('grants nothing for a valid token without Baton roles', async () => {
    const res = await me(sign(published[0], { roles: ['superuser'] })).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('tells the console, without credentials, how to sign in (the public client, nothing secret), and lets its page reach the provider', async () => {
    const res = await t.http.get('/api/auth/console-config').expect(200);
    expect(res.body).toEqual({
      authRequired: true, oidc: { issuer: ISSUER, clientId: 'baton-console', scopes: 'openid roles', resource: null },
    });
    const page = await t.http.get('/ui/runs');
    // The issuer's origin and CONSOLE_OIDC_ORIGINS (its token endpoint elsewhere), each once.
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' https://idp.example https://tokens.idp.example;");
  });
});

/**
 * Genuine tokens refused for their claims (expired, another audience or issuer, not yet valid): a
 * client holding one sends it until it fetches, or is set up with, another.
 */
describe('genuine tokens refused for their claims with AUTH_FAILURE_LIMIT=3 (a static public key)', () => {
  const idp = rsaKey();
  const admin = newAdminKey();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      AUTH_MODE: 'on', ADMIN_API_KEY: admin, AUTH_JWT_PUBLIC_KEY: idp.publicPem, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE,
      AUTH_FAILURE_LIMIT: '3',
    });
  }, 120_000);
  afterAll(() => t.close());

  const me = (token: string) => t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`);

  it('refuses it saying so, without counting it against the address, audited once a minute per subject', async () => {
    const exp = Math.floor(Date.now() / 1000) - 3600;
    const refusals = [];
    // Far more than AUTH_FAILURE_LIMIT, from two workers whose tokens expired, one at a time.
    for (let i = 0; i < 10; i++) refusals.push(await me(sign(idp, { sub: `worker-${i % 2}`, roles: ['service'], service: 'shop', exp })));
    expect(new Set(refusals.map((r) => `${r.status} ${r.body.code} ${r.body.message}`)))
      .toEqual(new Set(['401 UNAUTHENTICATED Authentication required: the token has expired']));
    await me(sign(idp, { roles: ['viewer'] })).expect(200);
    const audit = await t.http.get('/api/admin/security-audit').query({ event: 'DENIED', pageSize: 100 }).set('X-API-Key', admin).expect(200);
    expect(audit.body.items.filter((e: { reason: string }) => e.reason === 'the token has expired')
      .map((e: { principalId: string }) => e.principalId).sort()).toEqual(['jwt:worker-0', 'jwt:worker-1']);
  });

  /** One client with a mis-configured audience (or a clock ahead) locked out every client behind its address. */
  it('refuses one for another audience or issuer, or not yet valid, without counting it; forged ones still lock the address out', async () => {
    const wrong = [{ aud: 'other-app' }, { iss: 'https://other.example' }, { nbf: Math.floor(Date.now() / 1000) + 3600 }];
    const refusals = [];
    for (let i = 0; i < 12; i++) refusals.push(await me(sign(idp, { sub: `client-${i % 3}`, roles: ['viewer'], ...wrong[i % 3] })));
    expect(new Set(refusals.map((r) => `${r.status} ${r.body.code}`))).toEqual(new Set(['401 UNAUTHENTICATED']));
    await me(sign(idp, { roles: ['viewer'] })).expect(200);
    const audit = await t.http.get('/api/admin/security-audit').query({ event: 'DENIED', pageSize: 100 }).set('X-API-Key', admin).expect(200);
    expect(new Set(audit.body.items.filter((e: { reason: string }) => /"(aud|iss|nbf)"/.test(e.reason))
      .map((e: { principalId: string }) => e.principalId))).toEqual(new Set(['jwt:client-0', 'jwt:client-1', 'jwt:client-2']));

    const forger = rsaKey();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await me(sign(forger, { roles: ['admin'], ...wrong[i % 3] }))).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await me(sign(idp, { roles: ['viewer'] })).expect(429);
    expect(blocked.body.code).toBe('TOO_MANY_AUTH_FAILURES');
  });
});
