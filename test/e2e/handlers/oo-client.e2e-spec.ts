import { HandlerHttpError } from '../../../src/handlers/http/handler-http-error';
import { HttpTransport } from '../../../src/handlers/http/http-transport';
import { OoClient } from '../../../src/handlers/oo/oo.client';
import { FakeOoServer } from '../../fakes/fake-oo.server';
import { failure, ooClient } from './support/clients';

const FLOW = '0d1f3e5c-2b4a-4c6d-8e9f-a1b2c3d4e5f6';

describe('OoClient against the fake OO Central', () => {
  const oo = new FakeOoServer();
  let client: OoClient;
  let transport: HttpTransport;
  let logClient: OoClient;
  let logTransport: HttpTransport;

  beforeAll(async () => {
    await oo.start();
    const env = { OO_HOST: `${oo.url}/oo`, OO_USERNAME: 'oo-admin', OO_PASSWORD: 'oo-secret-pw' };
    ({ client, transport } = ooClient(env));
    ({ client: logClient, transport: logTransport } = ooClient({ ...env, OO_STATUS_ENDPOINT: 'execution-log' }));
  });
  afterAll(async () => {
    await transport?.close();
    await logTransport?.close();
    await oo.stop();
  });
  beforeEach(() => {
    oo.requests.length = 0;
  });

  it.each(['number', 'string', 'text'] as const)('starts a flow and reads the bare id (%s)', async (idFormat) => {
    oo.flow(FLOW, { idFormat });
    const { executionId } = await client.launch(FLOW, 'run-1', { host: 'h1' });
    expect(executionId).toMatch(/^\d+$/);
    expect(oo.execution(executionId)?.inputs).toEqual({ host: 'h1' });
    expect(oo.requests[0]).toMatchObject({ method: 'POST', path: '/oo/rest/v2/executions', authScheme: 'Basic',
      body: { flowUuid: FLOW, runName: 'run-1', inputs: { host: 'h1' } } });
  });

  it('finds the executions of a run name by the marker in it, and only those', async () => {
    oo.flow(FLOW);
    const name = (id: string) => `provision [baton flow=f step=s command=${id}]`;
    const { executionId } = await client.launch(FLOW, name('c-1'), {});
    await client.launch(FLOW, name('c-10'), {});
    expect(await client.findExecutions(name('c-1'), 'command=c-1]')).toEqual([executionId]);
    expect(oo.requests.at(-1)).toMatchObject({ method: 'GET', path: `/oo/rest/v2/executions?runName=${encodeURIComponent(name('c-1'))}&pageSize=50` });
    expect(await client.findExecutions(name('c-2'), 'command=c-2]')).toEqual([]);
  });

  it('reads the summary array through RUNNING to COMPLETED/RESOLVED, an empty array first', async () => {
    oo.flow(FLOW, { emptySummaries: 1 });
    const { executionId } = await client.launch(FLOW, 'r', {});
    const readings = [];
    for (let i = 0; i < 4; i += 1) readings.push(await client.getStatus(executionId, 'summary'));
    expect(readings.map((r) => [r.status, r.resultStatusType])).toEqual([
      [null, null], ['RUNNING', null], ['RUNNING', null], ['COMPLETED', 'RESOLVED']]);
    expect(oo.requests[1].path).toBe(`/oo/rest/v2/executions/${executionId}/summary`);
    expect(readings[3].response).not.toHaveProperty('owner');
  });

  it('reads the execution log, with flow output and PAUSED', async () => {
    oo.flow(FLOW, { states: [{ status: 'PAUSED' }, { status: 'COMPLETED', resultStatusType: 'RESOLVED' }], flowOutput: { vm: 'vm-7' } });
    const { executionId } = await logClient.launch(FLOW, 'r', {});
    const paused = await logClient.getStatus(executionId, 'execution-log');
    expect(paused).toMatchObject({ status: 'PAUSED', pauseReason: 'USER_PAUSED' });
    const done = await logClient.getStatus(executionId, 'execution-log');
    expect(done).toMatchObject({ status: 'COMPLETED', resultStatusType: 'RESOLVED', flowOutput: { vm: 'vm-7' } });
    expect(oo.requests[1].path).toBe(`/oo/rest/v2/executions/${executionId}/execution-log`);
  });

  it('cancels with PUT status {"action": "CANCEL"}: RUNNING → PENDING_CANCEL → CANCELED', async () => {
    oo.flow(FLOW, { states: [{ status: 'RUNNING' }] });
    const { executionId } = await client.launch(FLOW, 'r', {});
    await client.getStatus(executionId, 'summary');
    expect(await client.cancel(executionId)).toBe('accepted');
    expect(oo.requestsTo('PUT', /status/)[0]).toMatchObject({ path: `/oo/rest/v2/executions/${executionId}/status`, body: { action: 'CANCEL' } });
    expect((await client.getStatus(executionId, 'summary')).status).toBe('CANCELED');
    expect(await client.cancel(executionId)).toBe('not-cancellable');
  });

  it('fails at once on an unknown flow and on missing inputs, with OO\'s message', async () => {
    const unknown = await failure<HandlerHttpError>(client.launch('11111111-2222-3333-4444-555555555555', 'r', {}));
    expect(unknown).toMatchObject({ status: 404, retriable: false });
    expect(unknown.message).toContain('Flow 11111111-2222-3333-4444-555555555555 was not found');
    oo.flow(FLOW, { requiredInputs: ['host'] });
    const missing = await failure<HandlerHttpError>(client.launch(FLOW, 'r', {}));
    expect(missing).toMatchObject({ status: 400, retriable: false });
    expect(missing.message).toContain('Missing required inputs: host');
  });

  it('retries 503 and 429, not a status read of an unknown execution', async () => {
    oo.flow(FLOW);
    oo.failNext('POST', /executions/, { status: 503, body: 'Service Unavailable' }, { status: 429, body: '' });
    expect(await failure(client.launch(FLOW, 'r', {}))).toMatchObject({ status: 503, retriable: true });
    expect(await failure(client.launch(FLOW, 'r', {}))).toMatchObject({ status: 429, retriable: true });
    expect(await failure(client.getStatus('999', 'summary'))).toMatchObject({ status: 404, retriable: false });
  });

  it('rejects a launch answer that is no id', async () => {
    oo.failNext('POST', /executions/, { status: 201, body: '<html>login</html>', contentType: 'text/html' });
    expect((await failure<HandlerHttpError>(client.launch(FLOW, 'r', {}))).message).toContain('not an execution id');
  });
});

describe('OoClient auth and prefix', () => {
  it('401s without valid credentials (not retriable) and supports /rest/latest', async () => {
    const oo = new FakeOoServer({ prefix: '/rest/latest' });
    await oo.start();
    oo.flow(FLOW);
    const bad = ooClient({ OO_HOST: oo.url, OO_API_PREFIX: '/rest/latest', OO_USERNAME: 'oo-admin', OO_PASSWORD: 'nope-nope' });
    const good = ooClient({ OO_HOST: oo.url, OO_API_PREFIX: '/rest/latest', OO_USERNAME: 'oo-admin', OO_PASSWORD: 'oo-secret-pw' });
    try {
      const error = await failure<HandlerHttpError>(bad.client.launch(FLOW, 'r', {}));
      expect(error).toMatchObject({ status: 401, retriable: false });
      expect(error.message).not.toContain('nope-nope');
      await expect(good.client.launch(FLOW, 'r', {})).resolves.toHaveProperty('executionId');
      expect(oo.requests[1].path).toBe('/rest/latest/executions');
    } finally {
      await bad.transport.close();
      await good.transport.close();
      await oo.stop();
    }
  });

  it('verifies TLS unless OO_ALLOW_INVALID_SSL', async () => {
    const oo = new FakeOoServer({ tls: true });
    await oo.start();
    oo.flow(FLOW);
    const env = { OO_HOST: `${oo.url}/oo`, OO_USERNAME: 'oo-admin', OO_PASSWORD: 'oo-secret-pw' };
    const strict = ooClient(env);
    const lax = ooClient({ ...env, OO_ALLOW_INVALID_SSL: 'yes' });
    try {
      const error = await failure<HandlerHttpError>(strict.client.launch(FLOW, 'r', {}));
      expect(error).toMatchObject({ retriable: false });
      expect(error.message).toContain('OO_ALLOW_INVALID_SSL=true');
      await expect(lax.client.launch(FLOW, 'r', {})).resolves.toHaveProperty('executionId');
    } finally {
      await strict.transport.close();
      await lax.transport.close();
      await oo.stop();
    }
  });
});
