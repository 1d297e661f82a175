import { FakePartnerServer } from '../../fakes/fake-partner.server';
import type { TestApp } from '../../helpers/test-app';
import { jobsOf, registerTemplate, runToEnd, startEngineApp, startRun, timeline } from './support/engine-app';
import { waitForRun } from '../../helpers/runs';
import { captureLogs, CLIENT_SECRET, ERP_TOKEN, PARTNER_AUTH, partnerEnv, usePartnerApp } from './support/partner-env';

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);

/** Booting the app initialises an embedded database: slow when the machine is busy. */
const BOOT_TIMEOUT_MS = 120_000;

describe('the built-in http step against a partner API', () => {
  const partner = new FakePartnerServer(PARTNER_AUTH);
  let t: TestApp;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    await partner.start();
    t = await startEngineApp(partnerEnv(partner));
    logs = captureLogs();
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    logs?.restore();
    await t?.close();
    await partner.stop();
  });

  it('makes the call with payload and step references, Baton\'s headers, and keeps status, chosen headers and body as output', async () => {
    await registerTemplate(t, 'httpOrder', [
      { seq: 1, name: 'createOrder', handler: {
        type: 'http', connection: 'erp', method: 'POST', path: '/orders', query: { source: '${payload.source}' },
        headers: { 'X-Tenant': '${payload.tenant}' }, body: { customer: '${payload.customer}', lines: '${payload.lines}', note: 'for ${payload.customer.name}' },
        success: { status: [201], path: 'status', equals: 'accepted' }, outputHeaders: ['ETag', 'Location', 'X-Missing'],
      } },
      { seq: 2, name: 'readOrder', handler: { type: 'http', connection: 'erp', path: '/orders/${steps.createOrder.output.body.orderId}/lines', success: { status: [404] } } },
    ]);
    const payload = { tenant: 'acme', source: 'web shop', customer: { name: 'Ada' }, lines: [{ sku: 'A', qty: 2 }] };
    const run = await runToEnd(t, 'httpOrder', payload, 'COMPLETED');

    const [create] = partner.calls('POST', /^\/api\/orders\?/).filter((r) => r.headers['idempotency-key'] === `${run.flowId}:createOrder:DO`);
    expect(create.path).toBe('/api/orders?source=web+shop');
    expect(create.authScheme).toBe('Bearer');
    expect(create.headers).toMatchObject({ 'x-tenant': 'acme', 'x-correlation-id': run.correlationId, 'content-type': 'application/json' });
    expect(create.body).toEqual({ customer: { name: 'Ada' }, lines: [{ sku: 'A', qty: 2 }], note: 'for Ada' });

    const order = partner.orders.find((o) => o.idempotencyKey === `${run.flowId}:createOrder:DO`)!;
    const output = run.steps.find((s) => s.stepName === 'createOrder')!.output as Record<string, unknown>;
    expect(output).toMatchObject({
      status: 201, headers: { etag: `"${order.id}-v1"`, location: `/api/orders/${order.id}` },
      body: { orderId: order.id, status: 'accepted' },
    });
    expect(JSON.stringify(output)).not.toContain('partner-cookie-secret');
    // The second call used the first one's output in its path; its 404 was declared a success.
    expect(partner.calls('GET', new RegExp(`^/api/orders/${order.id}/lines$`))).toHaveLength(1);
    expect(run.steps.find((s) => s.stepName === 'readOrder')!.output).toMatchObject({ status: 404 });
    const jobs = await jobsOf(t, run.flowId);
    expect(jobs.map((j) => [j.targetType, j.connection, j.status, j.launchAttempts])).toEqual([['HTTP', 'erp', 'SUCCEEDED', 1], ['HTTP', 'erp', 'SUCCEEDED', 1]]);
  });

  it('retries 503, 503 then succeeds, waiting the step\'s backoff between the calls', async () => {
    await registerTemplate(t, 'httpRetry', [{
      seq: 1, name: 'createOrder', retry: { maxAttempts: 4, backoff: 'exponential', initialDelaySeconds: 0.3, maxDelaySeconds: 5 },
      handler: { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: { n: 1 } },
    }]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 503, body: { message: 'maintenance' } }, { status: 503, body: 'busy' });
    const run = await runToEnd(t, 'httpRetry', {}, 'COMPLETED');
    const calls = partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${run.flowId}:createOrder:DO`);
    expect(calls).toHaveLength(3);
    // 0.3 s, then 0.6 s (exponential); the runner's 10 ms tick and a busy machine only add to them.
    const [first, second] = gaps(calls.map((c) => c.at));
    expect(first).toBeGreaterThanOrEqual(300);
    expect(second).toBeGreaterThanOrEqual(600);
    // One engine attempt: the retries are the handler's, not new step attempts.
    expect(timeline(run)).toEqual(['DO:createOrder:SUCCEEDED']);
    const [job] = await jobsOf(t, run.flowId);
    expect(job).toMatchObject({ launchAttempts: 3, status: 'SUCCEEDED', lastLaunchError: null });
  });

  it('honours Retry-After on a 429', async () => {
    await registerTemplate(t, 'httpThrottled', [{
      seq: 1, name: 'createOrder', retry: { maxAttempts: 2, initialDelaySeconds: 0.05, maxDelaySeconds: 5 },
      handler: { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {} },
    }]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } });
    const run = await runToEnd(t, 'httpThrottled', {}, 'COMPLETED');
    const calls = partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${run.flowId}:createOrder:DO`);
    expect(calls).toHaveLength(2);
    expect(gaps(calls.map((c) => c.at))[0]).toBeGreaterThanOrEqual(1000);
  });

  it('fails at once on a 400, with the partner\'s message, and never retries it', async () => {
    await registerTemplate(t, 'httpRejected', [{
      seq: 1, name: 'createOrder', retry: { maxAttempts: 5, initialDelaySeconds: 0.01 },
      handler: { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {} },
    }]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 400, body: { message: 'sku is required' } });
    const run = await runToEnd(t, 'httpRejected', {}, 'FAILED');
    expect(timeline(run)).toEqual(['DO:createOrder:FAILED']);
    expect(run.steps[0].error).toBe('POST /api/orders failed (HTTP 400): sku is required');
    expect(run.steps[0].output).toMatchObject({ status: 400, body: { message: 'sku is required' } });
    expect(partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${run.flowId}:createOrder:DO`)).toHaveLength(1);
  });

  it('times a slow call out, retries it, and fails the step once its attempts are spent, its outcome unknown', async () => {
    await registerTemplate(t, 'httpSlow', [{
      seq: 1, name: 'createOrder', retry: { maxAttempts: 2, initialDelaySeconds: 0.01 },
      handler: { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {}, timeoutMs: 200 },
    }]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 201, delayMs: 800, body: {} }, { status: 201, delayMs: 800, body: {} });
    const run = await runToEnd(t, 'httpSlow', {}, 'FAILED');
    // The partner may have done the work: said so, with the key a retry of the step sends again.
    expect(run.steps[0].error).toMatch(new RegExp(`^Call outcome unknown after 2 attempts: POST /api/orders: timed out .*; `
      + `the partner may have received Idempotency-Key ${run.flowId}:createOrder:DO and done the work$`));
    const [job] = await jobsOf(t, run.flowId);
    expect(job).toMatchObject({ launchAttempts: 2, status: 'FAILED' });
  });

  it('retries a 409 "in progress" to a call sent again after a timeout, and takes the answer that follows', async () => {
    await registerTemplate(t, 'httpInProgress', [{
      seq: 1, name: 'createOrder', retry: { maxAttempts: 3, initialDelaySeconds: 0.01 },
      handler: { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {}, timeoutMs: 200 },
    }]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 201, delayMs: 800, body: {} }, { status: 409, body: { message: 'request in progress' } });
    const run = await runToEnd(t, 'httpInProgress', {}, 'COMPLETED');
    const key = `${run.flowId}:createOrder:DO`;
    expect(partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === key)).toHaveLength(3);
    expect(partner.orders.filter((o) => o.idempotencyKey === key)).toHaveLength(1);
    expect(run.steps[0].output).toMatchObject({ status: 201, body: { status: 'accepted' } });
  });

  it('polls a 202 at its status URL until the state says done, and the last answer is the output', async () => {
    partner.operationStates = ['queued', 'running', 'done'];
    await registerTemplate(t, 'httpExport', [{
      seq: 1, name: 'export', handler: { type: 'http', connection: 'erp', method: 'POST', path: '/exports', body: {},
        async: { statePath: 'state', done: ['done'], failed: ['failed'] } },
    }]);
    const run = await runToEnd(t, 'httpExport', {}, 'COMPLETED');
    const [job] = await jobsOf(t, run.flowId);
    expect(job).toMatchObject({ externalJobType: 'operation', externalStatus: 'done', pollingAttempts: 3 });
    expect(partner.calls('GET', new RegExp(`^/api${job.externalJobId}$`))).toHaveLength(3);
    expect(run.steps[0].output).toMatchObject({ status: 200, body: { state: 'done', result: { rows: 42 } } });
  });

  it('fails a polled operation whose state says failed, and refuses a status URL on another origin', async () => {
    partner.operationStates = ['running', 'failed'];
    await registerTemplate(t, 'httpExportFails', [{
      seq: 1, name: 'export', handler: { type: 'http', connection: 'erp', method: 'POST', path: '/exports', body: {},
        async: { statusUrlPath: 'links.status', statePath: 'state', done: ['done'], failed: ['failed'] } },
    }]);
    partner.statusUrl = (id) => ({ body: { links: { status: `${partner.url}/api/operations/${id}` } } });
    const failed = await runToEnd(t, 'httpExportFails', {}, 'FAILED');
    expect(failed.steps[0].error).toContain('failed: state is "failed"');

    partner.statusUrl = (id) => ({ body: { links: { status: `http://169.254.169.254/api/operations/${id}` } } });
    const elsewhere = await runToEnd(t, 'httpExportFails', {}, 'FAILED');
    expect(elsewhere.steps[0].error).toMatch(/status URL that is not polled: the status URL is on another origin/);
    partner.statusUrl = (id) => ({ header: `/api/operations/${id}` });
  });

  it('undoes a finished http step with its undo call when a later step fails', async () => {
    await registerTemplate(t, 'httpUndo', [
      { seq: 1, name: 'createOrder', handler: { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: { n: '${payload.n}' } },
        undo: { type: 'http', connection: 'erp', method: 'DELETE', path: '/orders/${steps.createOrder.output.body.orderId}' } },
      { seq: 2, name: 'confirm', handler: { type: 'http', connection: 'erp', method: 'POST', path: '/no-such-thing', body: {} } },
    ]);
    const run = await runToEnd(t, 'httpUndo', { n: 7 }, 'FAILED');
    expect(timeline(run)).toEqual(['DO:createOrder:SUCCEEDED', 'DO:confirm:FAILED', 'UNDO:createOrder:SUCCEEDED']);
    const order = partner.orders.find((o) => o.idempotencyKey === `${run.flowId}:createOrder:DO`)!;
    expect(order.deleted).toBe(true);
    const [undo] = partner.calls('DELETE', new RegExp(`^/api/orders/${order.id}$`));
    expect(undo.headers['idempotency-key']).toBe(`${run.flowId}:createOrder:UNDO`);
  });

  it('fetches an OAuth2 token once, reuses it, and fetches a new one before it expires', async () => {
    await registerTemplate(t, 'httpCrm', [{ seq: 1, name: 'createOrder', handler: { type: 'http', connection: 'crm', method: 'POST', path: '/orders', body: {} } }]);
    const callsOf = (flowId: string) => partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${flowId}:createOrder:DO`);
    const before = partner.tokensIssued.length;
    const first = await runToEnd(t, 'httpCrm', {}, 'COMPLETED');
    const second = await runToEnd(t, 'httpCrm', {}, 'COMPLETED');
    expect(partner.tokensIssued.length - before).toBe(1);
    expect([first, second].map((run) => callsOf(run.flowId).map((c) => c.authScheme))).toEqual([['Bearer'], ['Bearer']]);
    const tokenRequests = partner.calls('POST', /^\/oauth\/token$/);
    expect([tokenRequests.at(-1)!.authScheme, tokenRequests.at(-1)!.body]).toEqual(['Basic', 'grant_type=client_credentials']);

    // A token that lives 3 s is fetched again after 1.5 s (half its life), while the partner still accepts it.
    partner.tokenLifetimeSeconds = 3;
    partner.revokeTokens();
    await runToEnd(t, 'httpCrm', {}, 'COMPLETED');
    const shortLived = partner.tokensIssued.length;
    // Half the token's life from now, which is after Baton received it. A fixed wait, as the moment
    // is one on the clock that no event marks; it is a lower bound, and a longer one proves as much:
    // were the token not renewed before the partner refuses it, the 401 would show as a second call.
    await new Promise((r) => setTimeout(r, (partner.tokenLifetimeSeconds * 1000) / 2 + 100));
    const renewed = await runToEnd(t, 'httpCrm', {}, 'COMPLETED');
    expect(partner.tokensIssued.length).toBe(shortLived + 1);
    // One call: had Baton waited for the partner to refuse the old token, there would be a 401 and a second call.
    expect(callsOf(renewed.flowId)).toHaveLength(1);
    partner.tokenLifetimeSeconds = 3600;
  });

  it('fetches a new OAuth2 token when the partner refuses the cached one, and repeats the call once', async () => {
    await runToEnd(t, 'httpCrm', {}, 'COMPLETED');
    const before = partner.tokensIssued.length;
    partner.revokeTokens();
    const run = await runToEnd(t, 'httpCrm', {}, 'COMPLETED');
    expect(partner.tokensIssued.length - before).toBe(1);
    const calls = partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${run.flowId}:createOrder:DO`);
    expect(calls).toHaveLength(2);
    const [job] = await jobsOf(t, run.flowId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 1 });
  });

  it('keeps every credential, fetched tokens included, out of errors, rows, responses and logs', async () => {
    await registerTemplate(t, 'httpLeaky', [{ seq: 1, name: 'leak', handler: { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {} } }]);
    await registerTemplate(t, 'httpLeakyCrm', [{ seq: 1, name: 'leak', handler: { type: 'http', connection: 'crm', method: 'POST', path: '/orders', body: {} } }]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 400, body: { message: `token ${ERP_TOKEN} and secret ${CLIENT_SECRET} refused` } });
    const erp = await runToEnd(t, 'httpLeaky', {}, 'FAILED');
    const token = partner.tokensIssued.at(-1)!;
    partner.failNext('POST', /^\/api\/orders$/, { status: 400, body: `Authorization: Bearer ${token} is not allowed; nor ${token}` });
    const crm = await runToEnd(t, 'httpLeakyCrm', {}, 'FAILED');
    expect(erp.steps[0].error).toBe('POST /api/orders failed (HTTP 400): token *** and secret *** refused');
    expect(crm.steps[0].error).toContain('***');
    const everything = JSON.stringify([
      erp, crm, await jobsOf(t, erp.flowId), await jobsOf(t, crm.flowId),
      (await t.http.get('/api/job-executions?pageSize=100')).body, logs.text(),
    ]);
    for (const secret of [ERP_TOKEN, CLIENT_SECRET, token, ...partner.tokensIssued, Buffer.from(`baton-client:${CLIENT_SECRET}`).toString('base64')]) {
      expect(everything).not.toContain(secret);
    }
    expect(erp.steps[0].output).toMatchObject({ status: 400, body: { message: 'token *** and secret *** refused' } });
    expect(logs.text()).toContain('DO failed: POST /api/orders failed (HTTP 400): token *** and secret *** refused');
  });

  it('fails a step whose path, filled in from the payload, would leave the connection; other values are encoded', async () => {
    await registerTemplate(t, 'httpEscape', [{ seq: 1, name: 'read', handler: { type: 'http', connection: 'erp', path: '/orders/${payload.id}', success: { status: [404] } } }]);
    const requestsBefore = partner.requests.length;
    for (const [id, reason] of [['..', /must not contain \. or \.\. segments/], ['../../admin', /must not contain an encoded \//], ['a/b?x=1#', /encoded \//]] as const) {
      const run = await runToEnd(t, 'httpEscape', { id }, 'FAILED');
      expect(run.steps[0].error).toMatch(reason);
    }
    expect(partner.requests.length).toBe(requestsBefore);
    const spaced = await runToEnd(t, 'httpEscape', { id: 'a b&c=d' }, 'COMPLETED');
    expect(partner.requests.slice(requestsBefore).map((r) => r.path)).toEqual(['/api/orders/a%20b%26c%3Dd']);
    expect(spaced.steps[0].output).toMatchObject({ status: 404 });
  });
});

describe('http steps at registration: no host, no credentials', () => {
  const partner = new FakePartnerServer(PARTNER_AUTH);
  const app = usePartnerApp(partner);

  it.each([
    ['an absolute URL', { path: 'https://evil.example.com/orders' }, 'steps[0].handler.path', /not an absolute URL/],
    ['a protocol-relative URL', { path: '//evil.example.com/orders' }, 'steps[0].handler.path', /must not start with \/\//],
    ['a .. segment', { path: '/orders/../../admin' }, 'steps[0].handler.path', /\.\. segments/],
    ['an encoded .. segment', { path: '/orders/%2e%2E/admin' }, 'steps[0].handler.path', /\.\. segments/],
    ['a host field', { path: '/orders', host: 'evil.example.com' }, 'steps[0].handler.host', /unknown field/],
    ['a url field', { path: '/orders', url: 'http://evil.example.com' }, 'steps[0].handler.url', /unknown field/],
    ['an Authorization header', { path: '/orders', headers: { Authorization: 'Bearer x' } }, 'steps[0].handler.headers.Authorization', /cannot be set by a template/],
    ['a Host header', { path: '/orders', headers: { host: 'evil.example.com' } }, 'steps[0].handler.headers.host', /cannot be set/],
    ['a Cookie header', { path: '/orders', headers: { Cookie: 'a=b' } }, 'steps[0].handler.headers.Cookie', /cannot be set/],
  ])('refuses %s with a 400 naming the field', async (_what, fields, path, message) => {
    const res = await app().http.post('/api/orchestration/register').set('X-Service-Name', 'shop')
      .send({ orchName: 'httpBad', as: 'initiator', type: 'sequential',
        steps: [{ seq: 1, name: 'call', objectType: 'String', handler: { type: 'http', connection: 'erp', ...fields } }] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_DOCUMENT');
    expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
    expect(partner.requests).toHaveLength(0);
  });

  it('accepts a well-formed http step as READY at once (no worker needed)', async () => {
    const res = await app().http.post('/api/orchestration/register').set('X-Service-Name', 'shop')
      .send({ orchName: 'httpGood', as: 'initiator', type: 'sequential',
        steps: [{ seq: 1, name: 'call', objectType: 'String', handler: { type: 'http', connection: 'erp', method: 'post', path: '/orders', query: { ref: '${payload.id}' }, body: {} } }] });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('READY');
    const flowId = await startRun(app(), 'httpGood', { id: 'x' });
    await waitForRun(app(), flowId, 'COMPLETED', 10_000);
  });
});
