import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { initiatorYaml, workerJson } from '../../helpers/documents';
import { startTestApp, TestApp } from '../../helpers/test-app';

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** Each repro of issue 12 gets a 4xx naming the problem (or 202 where the input is valid), never a 500. */
describe('hostile input over HTTP (embedded default)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'svc')
      .send(initiatorYaml('hostile')).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'wrk').send(workerJson('hostile', ['createRealm', 'createClient']))
      .expect(201);
  }, 120_000); // a fresh data directory's initdb: 10-40 s on a loaded machine, like the other suites allow
  afterAll(() => t.close());

  const expectBadRequest = (res: { status: number; body: { problems?: Array<{ path: string }> } }, path: string | RegExp) => {
    expect(res.status).toBe(400);
    expect(res.body.problems?.map((p) => p.path)).toContainEqual(typeof path === 'string' ? path : expect.stringMatching(path));
  };

  it.each(['/api/orchestration/runs', '/api/orchestration/templates', '/api/orchestration/workers',
    '/api/orchestration/registrations/audit', '/api/job-executions', '/api/admin/security-audit'])('bounds page and pageSize on %s', async (url) => {
    for (const page of ['1e300', '1e309', '1000001', '0x10', '1.5', '-1']) {
      expectBadRequest(await t.http.get(`${url}?page=${page}`), 'query.page');
    }
    expectBadRequest(await t.http.get(`${url}?pageSize=501`), 'query.pageSize');
    expect((await t.http.get(`${url}?page=1000000&pageSize=500`)).status).toBe(200);
  });

  it('bounds page and pageSize on /api/orchestration/worker-services, whose services each come with their registrations', async () => {
    expectBadRequest(await t.http.get('/api/orchestration/worker-services?page=1000001'), 'query.page');
    expectBadRequest(await t.http.get('/api/orchestration/worker-services?pageSize=101'), 'query.pageSize');
    expect((await t.http.get('/api/orchestration/worker-services?page=1000000&pageSize=100')).status).toBe(200);
  });

  it.each(['/api/orchestration/runs', '/api/admin/security-audit'])('takes only ISO 8601 dates PostgreSQL can store on %s', async (url) => {
    for (const to of ['-271821-04-20', '0.5', '2026-02-31', '+275760-09-13', 'yesterday']) {
      expectBadRequest(await t.http.get(`${url}?to=${encodeURIComponent(to)}`), 'query.to');
    }
    // A day its month does not have is refused with a time and an offset too, not read as March 3rd.
    for (const from of ['2026-02-31T00:00Z', '2026-02-29T12:00:00+02:00', '2026-04-31T23:59:59.5-05:00']) {
      expectBadRequest(await t.http.get(`${url}?from=${encodeURIComponent(from)}`), 'query.from');
    }
    expect((await t.http.get(`${url}?from=2026-01-01&to=2026-12-01T10:00:00.5%2B02:00`)).status).toBe(200);
  });

  it('refuses a seq beyond PostgreSQL int4 with a 400 naming it, not a 500 from the insert', async () => {
    const res = await t.http.post('/api/orchestration/register').set('X-Service-Name', 'svc')
      .send({ orchName: 'bigseq', as: 'initiator', type: 'sequential', steps: [{ seq: 3_000_000_000, name: 'a', objectType: 'S' }] });
    expectBadRequest(res, 'steps[0].seq');
    expect(res.body.problems).toContainEqual(expect.objectContaining({ path: 'steps[0].seq', message: 'must be at most 2147483647' }));
  });

  it('refuses a 210 KB document whose one anchored map, reused by 99 steps, would store 20 MB', async () => {
    const vars = Array.from({ length: 2000 }, (_, i) => `k${i}: "${'x'.repeat(90)}"`).join(', ');
    const steps = [`  - {seq: 1, name: s0, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: &big {${vars}}}}`,
      ...Array.from({ length: 99 }, (_, i) => `  - {seq: ${i + 2}, name: s${i + 1}, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: *big}}`)];
    const res = await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'svc')
      .send(`orchName: amp\nas: initiator\ntype: sequential\nsteps:\n${steps.join('\n')}\n`);
    expectBadRequest(res, '(document)');
    expect(res.body.problems[0].message).toMatch(/^the document expands to \d{8} bytes of JSON \(aliases written out, defaults filled in\); the limit is 1048576 bytes/);
    await t.http.get('/api/orchestration/templates/amp').expect(404);
  });

  it('takes a bodiless POST sent with Content-Length: 0 and no media type as no body', async () => {
    const res = await t.http.post(`/api/orchestration/runs/${randomUUID()}/pause`).set('Content-Length', '0');
    expect([res.status, res.body.code]).toEqual([404, 'RUN_NOT_FOUND']);
  });

  it("takes only such dates as an API key's expiry too", async () => {
    const key = (expiresAt: unknown) => t.http.post('/api/admin/api-keys').send({ name: 'expiring', role: 'viewer', expiresAt });
    for (const expiresAt of ['-271821-04-20', 0.5, '2026-02-31', '2099-02-31T00:00:00Z', 'soon']) expectBadRequest(await key(expiresAt), 'body.expiresAt');
    // A date already past is refused by the check `npm run keys` shares, which names the body's field here too.
    expectBadRequest(await key('2001-01-01T00:00:00Z'), 'body.expiresAt');
    expect((await key('2099-01-01T00:00:00Z')).status).toBe(201);
  });

  it("refuses control characters and the marks that reorder text in an API key's name, which logs and the audit repeat", async () => {
    for (const mark of ['\u0007', '\u061C', '\u200B', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069', '\u2028', '\uFEFF']) {
      expectBadRequest(await t.http.post('/api/admin/api-keys').send({ name: `phone ${mark}gnp.exe`, role: 'viewer' }), 'body.name');
    }
    expect((await t.http.post('/api/admin/api-keys').send({ name: 'téléphone – 電話 ✓', role: 'viewer' })).status).toBe(201);
  });

  it('refuses an unknown query field or body field named like an inherited one (constructor, __proto__), as any unknown one', async () => {
    for (const key of ['constructor', 'toString', '__proto__', 'unknownField']) expectBadRequest(await t.http.get(`/api/orchestration/runs?${key}=1`), `query.${key}`);
    const key = await t.http.post('/api/admin/api-keys').set('Content-Type', 'application/json').send('{"name":"k","role":"viewer","constructor":1}');
    expectBadRequest(key, 'body.constructor');
    // In free-form JSON below a DTO field they were dropped from the data: a skipped step's output lost them.
    const skip = await t.http.post('/api/orchestration/runs/00000000-0000-4000-8000-000000000000/skip').set('Content-Type', 'application/json')
      .send('{"stepName":"s","output":{"kept":{"toString":"x"}}}');
    expectBadRequest(skip, 'body.output.kept.toString');
  });

  it('answers a body of bytes or text on a DTO route 415 (send JSON), without walking it', async () => {
    const pause = '/api/orchestration/runs/00000000-0000-4000-8000-000000000000/pause';
    const res = await t.http.post(pause).set('Content-Type', 'application/octet-stream').send(Buffer.alloc(t.config.BODY_LIMIT_BYTES - 1));
    expect([res.status, res.body.code, res.body.problems?.[0]?.path]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', 'headers.content-type']);
    for (const type of ['text/plain', 'application/yaml']) {
      const text = await t.http.post(pause).set('Content-Type', type).send('{"reason":"maintenance"}');
      expect([type, text.status, text.body.code, text.body.problems]).toEqual([type, 415, 'UNSUPPORTED_MEDIA_TYPE',
        [{ path: 'headers.content-type', message: 'must be application/json' }]]);
    }
  });

  it.each(['-'.repeat(36), 'abcdefabcdef-abcd-efab-cdef-abcdefab'])(
    'revokes by id only what is a UUID: %s is an unknown prefix, not a 500', async (text) => {
      const res = await t.http.delete(`/api/admin/api-keys/${text}`);
      expect([res.status, res.body.code]).toEqual([404, 'API_KEY_NOT_FOUND']);
    });

  it('refuses NUL in a query value, a path segment and a document, naming where', async () => {
    expectBadRequest(await t.http.get('/api/orchestration/runs?orchName=a%00b'), 'query.orchName');
    expectBadRequest(await t.http.get('/api/orchestration/templates/a%00b'), 'path');
    expectBadRequest(await t.http.post('/api/orchestration/execute/a%00b').send({}), 'path');
    expectBadRequest(await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml')
      .set('X-Service-Name', 'svc').send('orchName: "a\\0b"\nas: initiator\ntype: sequential\nsteps: [{seq: 1, name: s, objectType: S}]\n'), 'orchName');
    expectBadRequest(await t.http.post('/api/orchestration/register').set('Content-Type', 'application/json')
      .set('X-Service-Name', 'svc').send('{"orchName":"a\\u0000b","as":"worker","steps":[]}'), 'orchName');
    expectBadRequest(await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json')
      .send('{"a":"\\u0000"}'), 'body.a');
  });

  it('refuses a number past 2^53 in a run\'s payload and a template, naming where: a 64-bit id would reach a worker changed', async () => {
    const payload = await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json')
      .send('{"order":{"accountId":12345678901234567890,"qty":3}}');
    expectBadRequest(payload, 'body.order.accountId');
    expect(payload.body.problems[0].message).toContain('send it as a string');
    expectBadRequest(await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'svc')
      .send('orchName: bigNumbers\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: s, objectType: S, handler: {type: awx, jobTemplateId: 7, '
        + 'extraVars: {accountId: 12345678901234567890}}}\n'),
    'steps[0].handler.extraVars.accountId');
    // The largest integer a double holds exactly is taken as it is.
    await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json')
      .send('{"accountId":9007199254740991}').expect(202);
  });

  it('refuses a path the router cannot decode as the guard does (problem, headers, correlation id), and a long parameter at its route', async () => {
    const bad = await t.http.get('/api/orchestration/runs/%E0%A4%A').set('X-Correlation-ID', 'req-bad-url');
    expectBadRequest(bad, 'path');
    expect([bad.body.correlationId, bad.headers['x-correlation-id'], bad.headers['x-frame-options']]).toEqual(['req-bad-url', 'req-bad-url', 'DENY']);
    expectBadRequest(await t.http.post('/api/orchestration/execute/%ZZ').send({}), 'path');
    const long = await t.http.get(`/api/orchestration/runs/${'a'.repeat(2000)}`);
    expect([long.status, long.body.code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('refuses a compressed body with a 415 naming Content-Encoding: it would be taken as its compressed bytes', async () => {
    const res = await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip')
      .send(gzipSync('{"a":1}'));
    expect([res.status, res.body.code, res.body.problems]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', [expect.objectContaining({ path: 'headers.content-encoding' })]]);
    // Refused before it is read: a compressed body over the limit is not read up to the limit first (413).
    const large = await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/octet-stream').set('Content-Encoding', 'gzip')
      .send(Buffer.alloc(t.config.BODY_LIMIT_BYTES + 10));
    expect([large.status, large.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('reads bodies as UTF-8 only (415 naming the charset otherwise), without a byte-order mark', async () => {
    const latin1 = await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json; charset=latin1')
      .send(Buffer.from('{"a":"\xe9"}', 'latin1'));
    expect([latin1.status, latin1.body.problems]).toEqual([415, [expect.objectContaining({ path: 'headers.content-type' })]]);
    const bom = await t.http.post('/api/admin/api-keys').set('Content-Type', 'application/json; charset=UTF-8')
      .send(`\ufeff${JSON.stringify({ name: 'bom', role: 'viewer' })}`);
    expect(bom.status).toBe(201);
  });

  it('drops a Content-Type that names no media type on a bodiless call, and refuses it by name on a body', async () => {
    const bodiless = await t.http.post(`/api/orchestration/runs/${randomUUID()}/pause`).set('Content-Type', '').set('Content-Length', '0');
    expect([bodiless.status, bodiless.body.code]).toEqual([404, 'RUN_NOT_FOUND']);
    expectBadRequest(await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'a b').send('x'), 'headers.content-type');
  });

  /** What the server answers `request`, written to it raw, up to its closing the connection. */
  const rawAnswer = async (request: string) => {
    const server: Server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new Promise<string>((resolve, reject) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write(request));
      let text = '';
      socket.on('data', (chunk) => { text += chunk.toString(); }).on('end', () => resolve(text)).on('error', reject);
    }).finally(() => new Promise((resolve) => server.close(resolve)));
  };

  it('answers headers over 16 KiB 431, naming them', async () => {
    const [head, body] = (await rawAnswer(`GET /api/orchestration/runs HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(17 * 1024)}\r\n\r\n`)).split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(body)).toMatchObject({ code: 'INVALID_REQUEST', problems: [{ path: 'headers', message: expect.stringContaining('16 KiB') }] });
  });

  it('answers a request Node cannot parse in the shape of every refusal, with the headers and a correlation id', async () => {
    const answer = await rawAnswer('GET /api/orchestration/runs HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nX-Frame-Options: DENY\r\n/);
    const { correlationId } = JSON.parse(body);
    expect(JSON.parse(body)).toEqual({ code: 'INVALID_REQUEST', message: 'The request is not valid HTTP',
      problems: [{ path: 'request', message: 'Invalid character in Content-Length' }], correlationId });
    expect(head).toContain(`X-Correlation-ID: ${correlationId}`);
  });

  it('takes every service name the registry takes on the worker routes, and refuses the others', async () => {
    const long = 's'.repeat(200);
    const beat = (service: string, instanceId = randomUUID()) => t.http.post(`/api/workers/${service}/presence`)
      .send({ instanceId, host: 'h', sdkVersion: '1.0.0', steps: [{ orchName: 'o'.repeat(200), stepName: 'charge' }] });
    const instanceId = randomUUID();
    await beat(long, instanceId).expect(204);
    expect((await t.http.get(`/api/workers/${long}/instances`).expect(200)).body.instances).toHaveLength(1);
    await t.http.get(`/api/workers/${long}/commands?wait=0`).expect(200);
    await t.http.delete(`/api/workers/${long}/presence/${instanceId}`).expect(204);
    for (const service of ['s'.repeat(201), '.hidden', '-x']) {
      expect((await beat(service)).status).toBe(400);
      expect((await t.http.get(`/api/workers/${service}/commands?wait=0`)).status).toBe(400);
    }
    const badStep = await t.http.post('/api/workers/ok/presence')
      .send({ instanceId: randomUUID(), host: 'h', sdkVersion: '1', steps: [{ orchName: '.o', stepName: 'x' }] });
    expect(badStep.status).toBe(400);
  });

  it('refuses values longer than their columns, naming the field', async () => {
    const long = (n: number) => 'x'.repeat(n);
    expectBadRequest(await t.http.post('/api/orchestration/register').set('X-Service-Name', long(201))
      .send(workerJson('hostile', ['createRealm'])), 'headers.x-service-name');
    expectBadRequest(await t.http.post('/api/orchestration/execute/hostile').set('Idempotency-Key', long(256)).send({}),
      'headers.idempotency-key');
    expectBadRequest(await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', `text/plain; x=${long(256)}`)
      .send('hi'), 'headers.content-type');
    expectBadRequest(await t.http.post(`/api/orchestration/execute/${long(201)}`).send({}), 'params.orchName');
    expectBadRequest(await t.http.get(`/api/orchestration/templates/${long(201)}`), 'params.orchName');
    expectBadRequest(await t.http.post('/api/orchestration/register').set('X-Service-Name', 'svc')
      .send({ orchName: long(201), as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'a', objectType: 'S' }] }), 'orchName');
  });

  it('audits a rejected attempt whose fields are longer than their columns, instead of failing', async () => {
    const res = await t.http.post('/api/orchestration/register').set('X-Service-Name', 'svc')
      .send({ orchName: 'y'.repeat(300), as: 'z'.repeat(21), steps: [] });
    expect(res.status).toBe(400);
    const audit = await t.http.get('/api/orchestration/registrations/audit?outcome=REJECTED&serviceName=svc').expect(200);
    expect(audit.body.items[0]).toMatchObject({ orchName: 'y'.repeat(200), role: 'z'.repeat(20), outcome: 'REJECTED' });
  });

  it('keeps at most AUDIT_REJECTED_DOCUMENT_BYTES of a rejected document, with a hash of all of it', async () => {
    const doc = `orchName: big\nas: bogus\n# ${'x'.repeat(20_000)}\n`;
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'big-svc')
      .send(doc).expect(400);
    const [row] = (await t.http.get('/api/orchestration/registrations/audit?serviceName=big-svc').expect(200)).body.items;
    expect(Buffer.byteLength(row.document)).toBe(t.config.AUDIT_REJECTED_DOCUMENT_BYTES);
    expect(row).toMatchObject({ documentTruncated: true, documentSha256: createHash('sha256').update(doc).digest('hex') });
  });

  it('refuses JSON nested 5,000 deep on register and as a run payload, and stays up', async () => {
    expectBadRequest(await t.http.post('/api/orchestration/register').set('Content-Type', 'application/json')
      .set('X-Service-Name', 'svc').send(`{"orchName":${nested(5000)}}`), /^orchName/);
    expectBadRequest(await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json')
      .send(nested(5000)), /^body/);
    expect((await t.http.get('/api/orchestration/health')).status).toBe(200);
  });

  it('refuses JSON nested 5,000 deep on every kind of DTO body (run action, presence, API key) with a 400, and stays up', async () => {
    const deep = `{"reason":"x","zz":${nested(5000)}}`;
    const json = (req: ReturnType<typeof t.http.post>) => req.set('Content-Type', 'application/json').send(deep);
    for (const action of ['skip', 'terminate', 'pause', 'resume', 'retry', 'compensate']) {
      expectBadRequest(await json(t.http.post(`/api/orchestration/runs/${randomUUID()}/${action}`)), /^body\.zz(\[0\])+$/);
    }
    expectBadRequest(await json(t.http.post('/api/workers/wrk/presence')), /^body\.zz/);
    expectBadRequest(await json(t.http.post('/api/admin/api-keys')), /^body\.zz/);
    // Nested within the bound, the field is refused for what it is: not part of the body.
    const shallow = await t.http.post(`/api/orchestration/runs/${randomUUID()}/pause`).send({ reason: 'x', zz: JSON.parse(nested(10)) });
    expectBadRequest(shallow, 'body.zz');
    expect((await t.http.get('/api/orchestration/health')).status).toBe(200);
  });

  it.each([['"x"', 'x'], ['42', 42], ['null', null], ['[1,"a"]', [1, 'a']]])('accepts the JSON scalar or array %s as a run payload', async (text, payload) => {
    const res = await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json').send(text).expect(202);
    const run = await t.http.get(`/api/orchestration/runs/${res.body.flowId}`).expect(200);
    expect(run.body).toMatchObject({ payload, payloadEncoding: 'json' });
  });

  it('puts the correlation id in the body and the header of body-parser errors, 413 included', async () => {
    const bad = await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json')
      .set('X-Correlation-ID', 'req-bad-json').send('{oops');
    expect(bad.status).toBe(400);
    expect(bad.headers['x-correlation-id']).toBe('req-bad-json');
    expect(bad.body.correlationId).toBe('req-bad-json');
    const big = await t.http.post('/api/orchestration/execute/hostile').set('Content-Type', 'application/json')
      .send(`"${'x'.repeat(t.config.BODY_LIMIT_BYTES + 10)}"`);
    expect(big.status).toBe(413);
    expect(big.body.problems).toEqual([{ path: 'body', message: 'is larger than BODY_LIMIT_BYTES' }]);
    expect(big.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(big.headers['x-correlation-id']).toBe(big.body.correlationId);
  });

  it('answers 405 with Allow for a method a known path does not support, OPTIONS with Allow, HEAD like GET', async () => {
    const trace = await t.http.trace('/api/orchestration/runs').set('X-Correlation-ID', 'req-trace');
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(trace.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', correlationId: 'req-trace' });
    const put = await t.http.put('/api/orchestration/runs/00000000-0000-4000-8000-000000000000');
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, HEAD, OPTIONS']);
    expect((await t.http.delete('/api/orchestration/register')).headers.allow).toBe('POST, OPTIONS');
    const options = await t.http.options('/api/orchestration/execute/demo');
    expect([options.status, options.headers.allow]).toEqual([204, 'POST, OPTIONS']);
    const head = await t.http.head('/api/orchestration/templates');
    expect([head.status, head.text]).toEqual([200, undefined]);
    expect((await t.http.trace('/no/such/path')).status).toBe(404);
    // The console and the API document are served outside the document's routes: GET only there too.
    for (const path of ['/ui', '/ui/runs/x', '/docs-json', '/v3/api-docs', '/swagger-ui.html']) {
      const post = await t.http.post(path).send({});
      expect([path, post.status, post.headers.allow, post.body.code]).toEqual([path, 405, 'GET, HEAD, OPTIONS', 'METHOD_NOT_ALLOWED']);
      expect((await t.http.options(path)).status).toBe(204);
      expect([path, (await t.http.get(path)).status]).not.toEqual([path, 404]);
    }
  });

  it('publishes an OpenAPI document that tells the truth', async () => {
    const doc = (await t.http.get('/v3/api-docs').expect(200)).body;
    const execute = doc.paths['/api/orchestration/execute/{orchName}'].post;
    const headers = execute.parameters.filter((p: { in: string }) => p.in === 'header');
    expect(headers.map((p: { name: string; required?: boolean }) => [p.name, p.required ?? false]).sort())
      .toEqual([['Idempotency-Key', false], ['X-Correlation-ID', false], ['X-Deadline-Seconds', false]]);
    const register = doc.paths['/api/orchestration/register'].post;
    expect(register.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name)).toEqual(['X-Service-Name']);
    // What ParseNamePipe refuses, the document says: a schema-valid name is never a 400.
    for (const named of [execute, doc.paths['/api/orchestration/templates/{orchName}'].get]) {
      expect(named.parameters.filter((p: { name: string }) => p.name === 'orchName')).toEqual([
        expect.objectContaining({ in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 200 } })]);
    }
    const page = doc.paths['/api/orchestration/runs'].get.parameters.find((p: { name: string }) => p.name === 'page');
    expect(page.schema).toMatchObject({ type: 'integer', maximum: 1_000_000 });
    for (const [path, item] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const withBody = ['post', 'put', 'patch', 'delete'].includes(method);
        expect([path, method, ['400', '413', '415'].map((s) => op.responses[s] !== undefined)]).toEqual([path, method, [true, withBody, withBody]]);
      }
    }
    const reply = doc.paths['/api/workers/{service}/leases/{leaseId}/reply'].post;
    expect(reply.requestBody.content['application/json'].schema).toMatchObject({ required: expect.arrayContaining(['flowId', 'metadata', 'commandId']) });
    expect(Object.keys(doc.paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain']);
    expect(doc.components.schemas.RunDetailDto.properties.payload).toMatchObject({ nullable: true });
    // An optional body field sent as null counts as left out, and the document says it may be null (schemathesis sent one).
    const { RunActionBodyDto, StepActionBodyDto, CreateApiKeyDto } = doc.components.schemas;
    for (const property of [RunActionBodyDto.properties.reason, StepActionBodyDto.properties.stepName, CreateApiKeyDto.properties.service, CreateApiKeyDto.properties.expiresAt]) {
      expect(property).toMatchObject({ nullable: true });
    }
    const nulls = await t.http.post('/api/admin/api-keys').send({ name: 'nulls', role: 'viewer', service: null, expiresAt: null });
    expect([nulls.status, nulls.body.expiresAt ?? null]).toEqual([201, null]);
  });
});
