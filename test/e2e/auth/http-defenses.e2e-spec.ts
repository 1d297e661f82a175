import { DataSource } from 'typeorm';
import { bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { captureOutput } from '../../helpers/captured-output';
import { expectEventually } from '../../helpers/expect-eventually';
import { startTestApp, TestApp } from '../../helpers/test-app';

describe('AUTH_MODE=off (the loopback default): a web page cannot drive Baton', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  it('serves the anonymous principal with every role, for the console', async () => {
    const res = await t.http.get('/api/auth/me').expect(200);
    expect(res.body).toEqual({ id: 'anonymous', kind: 'anonymous', roles: ['service', 'operator', 'viewer', 'admin'], service: null });
  });

  it("refuses a foreign page's simple cross-site request (text/plain, no preflight)", async () => {
    const res = await t.http.post('/api/orchestration/execute/demoOrder').set('Origin', 'https://evil.example')
      .set('Content-Type', 'text/plain').send('{}').expect(403);
    expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it("refuses a foreign page's GET that carries no Origin (an image or a script): it could lease a worker's commands", async () => {
    const res = await t.http.get('/api/workers/demo-worker/commands?wait=0').set('Sec-Fetch-Site', 'cross-site').expect(403);
    expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
    await t.http.get('/api/orchestration/templates').set('Sec-Fetch-Site', 'same-site').expect(403);
    // Typed in the address bar, or our own page: answered.
    await t.http.get('/api/orchestration/templates').set('Sec-Fetch-Site', 'none').expect(200);
    await t.http.get('/api/orchestration/templates').set('Sec-Fetch-Site', 'same-origin').expect(200);
  });

  it('refuses a DNS-rebound host name', async () => {
    const res = await t.http.get('/api/orchestration/templates').set('Host', 'evil.example:3000').expect(403);
    expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('answers our own pages (same origin)', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${server.address().port}`;
    await t.http.get('/api/auth/me').set('Host', host).set('Origin', `http://${host}`).expect(200);
  });

  it('sends security headers, no-store on API answers, and no CORS grant', async () => {
    const res = await t.http.get('/api/orchestration/templates').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined(); // no-store: nothing revalidates it, so no body is hashed for one
    const preflight = await t.http.options('/api/orchestration/templates').set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('AUTH_MODE=on: rate-limited failures, CORS for listed origins, public metrics when asked, secrets kept out of logs', () => {
  const admin = newAdminKey();
  let output: ReturnType<typeof captureOutput>;
  let t: TestApp;
  let viewer: string;

  beforeAll(async () => {
    output = captureOutput();
    t = await startTestApp({
      AUTH_MODE: 'on', ADMIN_API_KEY: admin, AUTH_FAILURE_LIMIT: '3', METRICS_PUBLIC: 'true',
      CORS_ORIGINS: 'https://console.example', LOG_LEVEL: 'debug',
    });
    viewer = await issueKey(t, admin, 'viewer');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('serves /metrics without credentials when METRICS_PUBLIC=true', async () => {
    await t.http.get('/metrics').expect(200);
  });

  it('shows health status without credentials, details only with a role', async () => {
    const anonymous = await t.http.get('/api/orchestration/health').expect(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    const detailed = await t.http.get('/api/orchestration/health').set(bearer(viewer)).expect(200);
    expect(detailed.body.details).toHaveProperty('database');
    // The details list every service's command topic: a service key is told the status only.
    const service = await issueKey(t, admin, 'service', 'nosy-service');
    expect((await t.http.get('/api/orchestration/health').set(bearer(service)).expect(200)).body).toEqual({ status: 'ok' });
  });

  it('grants CORS to a listed origin only', async () => {
    const ok = await t.http.options('/api/orchestration/templates').set('Origin', 'https://console.example').set('Access-Control-Request-Method', 'GET');
    expect(ok.headers['access-control-allow-origin']).toBe('https://console.example');
    const other = await t.http.options('/api/orchestration/templates').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // Answered by the CORS hook, yet with the headers and correlation id of every answer; no method named is no error.
    for (const preflight of [ok, other, await t.http.options('/api/orchestration/templates').set('X-Correlation-ID', 'req-bare-options')]) {
      expect([preflight.status, preflight.headers['x-frame-options'], preflight.headers['cache-control']]).toEqual([204, 'DENY', 'no-store']);
      expect(preflight.headers['x-correlation-id']).toMatch(/^[\w-]+$/);
    }
  });

  it('logs a request refused because the router cannot take its path (no request-log hook runs for it)', async () => {
    await t.http.get('/api/orchestration/runs/%E0%A4%A').set('X-Correlation-ID', 'undecodable-path').expect(400);
    const line = output.lines().find((l) => l.includes('undecodable-path') && l.includes('router cannot take its path'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ correlationId: 'undecodable-path', method: 'GET', code: 'FST_ERR_BAD_URL' });
  });

  it('never writes a key or its secret to a log line or an error', async () => {
    const guess = `${admin.slice(0, admin.lastIndexOf('_'))}_${'x'.repeat(43)}`;
    const res = await t.http.get('/api/orchestration/templates').set('X-API-Key', guess).expect(401);
    expect(JSON.stringify(res.body)).not.toContain('x'.repeat(43));
    const logs = output.text();
    expect(logs).toContain('unauthenticated');
    for (const secret of [...[admin, viewer].map((k) => k.split('_').slice(2).join('_')), 'x'.repeat(43)]) {
      expect(secret.length).toBeGreaterThan(30);
      expect(logs).not.toContain(secret);
    }
  });

  it('revokes a key given whole by mistake, and never writes its secret: not in an answer, a log line, a denial or the audit', async () => {
    const key = await issueKey(t, admin, 'viewer');
    const [, prefix, ...rest] = key.split('_');
    const secret = rest.join('_');
    const denied = await t.http.delete(`/api/admin/api-keys/${key}`).set(bearer(viewer)).expect(403);
    const revoked = await t.http.delete(`/api/admin/api-keys/${key}`).set(bearer(admin)).expect(200);
    expect(revoked.body).toMatchObject({ prefix, revokedAt: expect.any(String) });
    await t.http.get('/api/orchestration/templates').set(bearer(key)).expect(401);
    const unknown = `bk_nokey123_${'y'.repeat(43)}`;
    const missing = await t.http.delete(`/api/admin/api-keys/${unknown}?again=${unknown}`).set(bearer(admin)).expect(404);
    expect(missing.body.message).toBe('No API key nokey123');
    // Echoed by a refusal (no route has this path): cut as it is logged.
    const unrouted = await t.http.get(`/api/no-such-route/${key}`).set(bearer(admin)).expect(404);
    expect(unrouted.body.message).toContain(`bk_${prefix}_…`);
    const audit = await t.http.get('/api/admin/security-audit?pageSize=100').set(bearer(admin)).expect(200);
    expect(audit.body.items.filter((e: { event: string; target: string }) => e.event === 'DENIED' && e.target.includes(prefix))
      .map((e: { target: string }) => e.target)).toEqual([`DELETE /api/admin/api-keys/bk_${prefix}_…`]);
    const written = [output.text(), ...[denied, revoked, missing, unrouted, audit].map((r) => JSON.stringify(r.body))].join('\n');
    expect(written).toContain(`bk_${prefix}_…`);
    for (const hidden of [secret, 'y'.repeat(43)]) expect(written).not.toContain(hidden);
  });

  /** A bearer token pasted into a query, a path or X-Correlation-ID was logged, echoed and kept whole. */
  it('never writes or answers a JWT given in a path, a query or a correlation id: cut to eyJ…, or a new id', async () => {
    const signature = `S3CRETjwtSignature${'z'.repeat(24)}`;
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.${signature}`;
    const res = await t.http.get(`/api/orchestration/templates/${jwt}`).set(bearer(viewer)).set('X-Correlation-ID', jwt).expect(404);
    expect(res.body).toMatchObject({ code: 'TEMPLATE_NOT_FOUND', message: 'No template named eyJ…' });
    expect(res.headers['x-correlation-id']).toMatch(/^[\w-]+$/);
    expect(res.headers['x-correlation-id']).not.toContain('eyJ');
    const query = await t.http.get(`/api/orchestration/runs?access_token=${jwt}`).set(bearer(viewer));
    await expectEventually(() => expect(output.text()).toContain('"url":"/api/orchestration/runs?access_token=eyJ…"'));
    expect(output.text()).toContain('"url":"/api/orchestration/templates/eyJ…"');
    expect([output.text(), ...[res, query].map((r) => JSON.stringify([r.body, r.headers]))].join('\n')).not.toContain(signature);
  });

  it('ends a long poll whose key is revoked while it waits with 401, and hands it no command started after', async () => {
    const [revoked, kept] = [await issueKey(t, admin, 'service', 'revoked-poller'), await issueKey(t, admin, 'service', 'revoked-poller')];
    await t.http.post('/api/orchestration/register').set(bearer(kept)).send({
      orchName: 'revokedPollFlow', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'only', objectType: 'String' }],
    }).expect(201);
    await t.http.post('/api/orchestration/register').set(bearer(kept))
      .send({ orchName: 'revokedPollFlow', as: 'worker', steps: [{ name: 'only', objectType: 'String' }] }).expect(201);
    const started = Date.now();
    const polling = t.http.get('/api/workers/revoked-poller/commands?wait=15000').set(bearer(revoked)).then((r) => r);
    await new Promise((r) => setTimeout(r, 300));
    await t.http.delete(`/api/admin/api-keys/${revoked.split('_')[1]}`).set(bearer(admin)).expect(200);
    await t.http.post('/api/orchestration/execute/revokedPollFlow').set(bearer(kept)).send({}).expect(202);
    const ended = await polling;
    expect([ended.status, ended.body.code, ended.body.message])
      .toEqual([401, 'UNAUTHENTICATED', `Authentication required: API key ${revoked.split('_')[1]} is revoked`]);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The command goes to a poller whose key still holds.
    const leased = await t.http.get('/api/workers/revoked-poller/commands?wait=5000').set(bearer(kept)).expect(200);
    expect(leased.body.map((l: { command: { stepName: string } }) => l.command.stepName)).toEqual(['only']);
  });

  it('ends a long poll whose key expires while it waits with 401', async () => {
    const made = await t.http.post('/api/admin/api-keys').set(bearer(admin))
      .send({ name: 'short-lived', role: 'service', service: 'expiring-poller', expiresAt: new Date(Date.now() + 2_000).toISOString() }).expect(201);
    const started = Date.now();
    const ended = await t.http.get('/api/workers/expiring-poller/commands?wait=15000').set(bearer(made.body.key));
    expect([ended.status, ended.body.message]).toEqual([401, `Authentication required: API key ${made.body.prefix} is expired`]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a revoked key saying so, without counting it against the address: a busy worker\'s revoked key locks no one out', async () => {
    const revoked = await issueKey(t, admin, 'service', 'busy-worker');
    const prefix = revoked.split('_')[1];
    await t.http.delete(`/api/admin/api-keys/${prefix}`).set(bearer(admin)).expect(200);
    // As a worker's replies in flight when its key was revoked: far more than AUTH_FAILURE_LIMIT (3).
    const refusals = await Promise.all(Array.from({ length: 10 }, () => t.http.get('/api/orchestration/templates').set(bearer(revoked))));
    expect(new Set(refusals.map((r) => `${r.status} ${r.body.code} ${r.body.message}`)))
      .toEqual(new Set([`401 UNAUTHENTICATED Authentication required: API key ${prefix} is revoked`]));
    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).expect(200);
    // Recorded once, not once per request.
    const audit = await t.http.get('/api/admin/security-audit?pageSize=100').set(bearer(admin)).expect(200);
    expect(audit.body.items.filter((e: { reason: string }) => e.reason === `API key ${prefix} is revoked`))
      .toHaveLength(1);
  });

  it('answers a repeated revocation (a retry after a lost answer) with the same key, revoked once and audited once', async () => {
    const key = await issueKey(t, admin, 'viewer');
    const prefix = key.split('_')[1];
    const [first, again] = await Promise.all([1, 2].map(() => t.http.delete(`/api/admin/api-keys/${prefix}`).set(bearer(admin))));
    expect([first.status, again.status]).toEqual([200, 200]);
    // The same key, as first revoked; only one of the two revoked it.
    expect({ ...again.body, changed: undefined }).toEqual({ ...first.body, changed: undefined });
    expect([first.body.changed, again.body.changed].sort()).toEqual([false, true]);
    const later = await t.http.delete(`/api/admin/api-keys/${first.body.id}`).set(bearer(admin)).expect(200);
    expect([later.body.revokedAt, later.body.changed]).toEqual([first.body.revokedAt, false]);
    const audit = await t.http.get('/api/admin/security-audit?event=KEY_REVOKED&pageSize=100').set(bearer(admin)).expect(200);
    expect(audit.body.items.filter((e: { target: string }) => e.target === `api-key ${prefix}`)).toHaveLength(1);
    const missing = await t.http.delete('/api/admin/api-keys/nosuchkey').set(bearer(admin)).expect(404);
    expect(missing.body.code).toBe('API_KEY_NOT_FOUND');
  });

  it('narrows the security audit to a time range: from inclusive, to exclusive', async () => {
    const prefixes: string[] = [];
    for (let i = 0; i < 3; i++) prefixes.push((await issueKey(t, admin, 'viewer')).split('_')[1]);
    await Promise.all(prefixes.map((prefix) => t.http.delete(`/api/admin/api-keys/${prefix}`).set(bearer(admin)).expect(200)));
    // Three audit rows a minute apart, the middle one at a known instant.
    const at = new Date('2026-01-01T12:00:00.000Z');
    await t.get(DataSource).query(
      "UPDATE security_audit SET created_at = $2::timestamptz + (array_position($1::text[], substr(target, 9)) - 2) * interval '1 minute' WHERE target = ANY($3)",
      [prefixes, at.toISOString(), prefixes.map((p) => `api-key ${p}`)]);
    const targets = async (query: Record<string, string>) =>
      (await t.http.get('/api/admin/security-audit').query({ event: 'KEY_REVOKED', pageSize: 100, ...query }).set(bearer(admin)).expect(200))
        .body.items.map((e: { target: string }) => e.target.slice(8)).filter((p: string) => prefixes.includes(p));
    expect(await targets({ from: at.toISOString() })).toEqual([prefixes[2], prefixes[1]]);
    expect(await targets({ to: at.toISOString() })).toEqual([prefixes[0]]);
    expect(await targets({ from: at.toISOString(), to: new Date(at.getTime() + 60_000).toISOString() })).toEqual([prefixes[1]]);
    const bad = await t.http.get('/api/admin/security-audit?from=yesterday').set(bearer(admin)).expect(400);
    expect(bad.body.problems.map((p: { path: string }) => p.path)).toEqual(['query.from']);
  });

  it('stops honouring a key revoked elsewhere (another instance, the keys CLI) within seconds, though it verified the key moments before', async () => {
    const key = await issueKey(t, admin, 'viewer');
    const prefix = key.split('_')[1];
    await t.http.get('/api/auth/me').set(bearer(key)).expect(200);
    // As another instance's revocation, or `npm run keys -- revoke`: the row changes, this instance is not told.
    await t.get(DataSource).query('UPDATE api_key SET revoked_at = now() WHERE prefix = $1', [prefix]);
    // Well under the 30 s this instance remembers a verified key; the watch looks every second.
    await expectEventually(async () => {
      const res = await t.http.get('/api/auth/me').set(bearer(key));
      expect(`${res.status} ${res.body.message}`).toBe(`401 Authentication required: API key ${prefix} is revoked`);
    }, { timeoutMs: 10_000, intervalMs: 200 });
    await t.http.get('/api/auth/me').set(bearer(viewer)).expect(200);
  });

  it("audits a known caller's repeated refusal once a minute, not once per request: a script cannot fill the audit", async () => {
    const script = await issueKey(t, admin, 'viewer');
    const prefix = script.split('_')[1];
    // Another key prefix each time: one route all the same.
    for (let i = 0; i < 5; i++) await t.http.delete(`/api/admin/api-keys/zzzz999${i}`).set(bearer(script)).expect(403);
    const denied = await t.get(DataSource).query(
      `SELECT target FROM security_audit WHERE event = 'DENIED' AND code = 'FORBIDDEN' AND principal_id LIKE $1 AND target LIKE $2`,
      [`%${prefix}%`, 'DELETE /api/admin/api-keys/zzzz999%']);
    expect(denied).toEqual([{ target: 'DELETE /api/admin/api-keys/zzzz9990' }]);
  });

  it('does not count requests without a credential as guesses: a scraper without a key locks no one out', async () => {
    const refusals = await Promise.all(Array.from({ length: 10 }, () => t.http.get('/api/orchestration/templates')));
    expect(new Set(refusals.map((r) => `${r.status} ${r.body.code}`))).toEqual(new Set(['401 UNAUTHENTICATED']));
    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).expect(200);
  });

  it('answers 429 after AUTH_FAILURE_LIMIT failures from one address, even to a right key it has not verified lately', async () => {
    const unverified = await issueKey(t, admin, 'viewer');
    for (let i = 0; i < 2; i++) await t.http.get('/api/orchestration/templates').set(bearer('bk_nope_' + 'y'.repeat(40))).expect(401);
    const blocked = await t.http.get('/api/orchestration/templates').set(bearer('bk_nope_' + 'y'.repeat(40))).expect(429);
    expect(blocked.body.code).toBe('TOO_MANY_AUTH_FAILURES');
    // How long to wait: the rest of the block, one window (AUTH_FAILURE_WINDOW_SECONDS, 60 by default).
    const wait = Number(blocked.headers['retry-after']);
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    const again = await t.http.get('/api/orchestration/templates').set(bearer(unverified)).expect(429);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(wait);
    // One it verified in the last 30 s tells a guesser nothing, and is answered: other workers behind the same NAT.
    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).expect(200);
    await t.http.get('/api/orchestration/health').expect(200);
  });
});
