import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { newAdminKey, bearer } from '../helpers/auth';
import { captureOutput } from '../helpers/captured-output';
import { initiatorYaml, workerJson } from '../helpers/documents';
import { startTestApp, TestApp } from '../helpers/test-app';

type Line = Record<string, unknown>;

describe('logs: one JSON line per request, and service lines that name the request', () => {
  const admin = newAdminKey();
  let output: ReturnType<typeof captureOutput>;
  let t: TestApp;
  const linesOf = (correlationId: string): Line[] => output.lines().filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line).filter((l) => l.correlationId === correlationId);

  beforeAll(async () => {
    output = captureOutput();
    t = await startTestApp({ LOG_LEVEL: 'info', LOG_FORMAT: 'json', AUTH_MODE: 'on', ADMIN_API_KEY: admin, METRICS_PUBLIC: 'true' });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('writes a request line with the correlation id, method, url, status and time, and none for /metrics', async () => {
    const res = await t.http.get('/api/orchestration/templates').set(bearer(admin)).set('X-Correlation-ID', 'req-line-1').expect(200);
    expect(res.headers['x-correlation-id']).toBe('req-line-1');
    const [line] = linesOf('req-line-1');
    expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/api/orchestration/templates' } });
    expect(line.res).toEqual({ statusCode: 200 }); // not the dozen security headers on every line
    expect(line.responseTime).toEqual(expect.any(Number));
    expect(JSON.stringify(line)).not.toContain(admin.split('_').slice(2).join('_'));

    await t.http.get('/metrics').set('X-Correlation-ID', 'metrics-1').expect(200);
    expect(linesOf('metrics-1')).toEqual([]);
  });

  it('does not take a correlation id that holds a whole API key: a new one is made, and the key is nowhere', async () => {
    const secret = admin.split('_').slice(2).join('_');
    const res = await t.http.get('/api/orchestration/templates').set(bearer(admin)).set('X-Correlation-ID', admin).expect(200);
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesOf(res.headers['x-correlation-id'])).toHaveLength(1);
    expect(output.lines().filter((l) => l.includes(secret))).toEqual([]);
  });

  it("logs a console page's path without its query: the sign-in callback's holds the authorization code", async () => {
    await t.http.get('/ui/auth/callback?code=AUTHCODE-SECRET-123&state=xyz').set('X-Correlation-ID', 'callback-1');
    const [line] = linesOf('callback-1');
    expect(line).toMatchObject({ msg: 'request completed', req: { method: 'GET', url: '/ui/auth/callback' } });
    expect(JSON.stringify(line)).not.toContain('AUTHCODE');
    // The API's queries stay: they say which page of which list was asked for.
    await t.http.get('/api/orchestration/templates?page=2').set(bearer(admin)).set('X-Correlation-ID', 'query-1');
    expect(linesOf('query-1')[0]).toMatchObject({ req: { url: '/api/orchestration/templates?page=2' } });
  });

  it("names the request's correlation id in what a service logs while handling it", async () => {
    await t.http.post('/api/orchestration/register').set(bearer(admin)).set('X-Correlation-ID', 'register-1')
      .set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop').send(initiatorYaml('logged', 'sequential', undefined, ['realms'])).expect(201);
    expect(linesOf('register-1').map((l) => l.msg)).toEqual(expect.arrayContaining(['registration applied', 'request completed']));
    await t.http.post('/api/orchestration/register').set(bearer(admin)).set('X-Correlation-ID', 'register-2')
      .set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop').send('orchName: [').expect(400);
    expect(linesOf('register-2').map((l) => l.msg)).toContain('registration rejected: The registration document is invalid');

    const key = await t.http.post('/api/admin/api-keys').set(bearer(admin)).set('X-Correlation-ID', 'key-1')
      .send({ name: 'ops', role: 'operator' }).expect(201);
    await t.http.delete(`/api/admin/api-keys/${key.body.prefix}`).set(bearer(admin)).set('X-Correlation-ID', 'key-2').expect(200);
    expect(linesOf('key-1').map((l) => l.msg)).toContain('API key created');
    expect(linesOf('key-2').map((l) => l.msg)).toContain('API key revoked');

    const run = await t.http.post('/api/orchestration/execute/logged').set(bearer(admin)).send({ sku: 'A1' }).expect(202);
    await t.http.post(`/api/orchestration/runs/${run.body.flowId}/terminate`).set(bearer(admin)).set('X-Correlation-ID', 'operator-1')
      .send({ reason: 'test' }).expect(202);
    expect(linesOf('operator-1').map((l) => l.msg)).toContain('operator terminate');

    await t.http.post('/api/orchestration/register').set(bearer(admin)).set('X-Service-Name', 'realms')
      .send(workerJson('logged', ['createRealm'])).expect(201);
    const workers = await t.http.get('/api/orchestration/workers?orchName=logged').set(bearer(admin)).expect(200);
    await t.http.delete(`/api/orchestration/workers/${workers.body.items[0].id}`).set(bearer(admin)).set('X-Correlation-ID', 'removal-1')
      .expect(200);
    expect(linesOf('removal-1').map((l) => l.msg)).toContain('worker removed');

    await t.http.get('/api/orchestration/templates').set(bearer('bk_nope_' + 'z'.repeat(40))).set('X-Correlation-ID', 'refused-1').expect(401);
    expect(linesOf('refused-1').map((l) => l.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^unauthenticated: /)]));
  });

  it('handles requests without entering an AsyncLocalStorage (on Node 20 one turns on promise hooks for the whole process)', async () => {
    const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = jest.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    await t.http.post('/api/orchestration/execute/logged').set(bearer(admin)).send({ sku: 'A1' }).expect(202);
    await t.http.get('/api/orchestration/templates').set(bearer(admin)).expect(200);
    expect(run).not.toHaveBeenCalled();
    expect(enterWith).not.toHaveBeenCalled();
  });

  it("logs a failed statement as one JSON line from the Database context, without its parameters", async () => {
    const secret = 'payload-secret-7731';
    const dataSource = t.get(DataSource);
    await expect(dataSource.query('SELECT $1::int AS n, $2::text AS t', [`not-a-number ${secret}`, secret])).rejects.toThrow();
    const text = output.text();
    expect(text).not.toContain(secret);
    expect(text).not.toContain('PARAMETERS');
    const lines = output.lines().filter((l) => l.includes('SELECT $1::int'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 40, context: 'Database', code: '22P02', query: 'SELECT $1::int AS n, $2::text AS t' });
  });
});
