import { inspect } from 'node:util';
import { AwxClient } from '../../../src/handlers/awx/awx.client';
import { HandlerHttpError } from '../../../src/handlers/http/handler-http-error';
import { HttpTransport } from '../../../src/handlers/http/http-transport';
import { FakeAwxServer } from '../../fakes/fake-awx.server';
import { awxClient, failure } from './support/clients';

describe('AwxClient against the fake AWX', () => {
  const awx = new FakeAwxServer();
  let client: AwxClient;
  let transport: HttpTransport;

  beforeAll(async () => {
    await awx.start();
    ({ client, transport } = awxClient({ AWX_HOST: awx.url, AWX_TOKEN: 'awx-secret-token', AWX_REQUEST_TIMEOUT_MS: '400' }));
  });
  afterAll(async () => {
    await transport?.close();
    await awx.stop();
  });
  beforeEach(() => {
    awx.requests.length = 0;
  });

  it('launches a job template with a Bearer token on the trailing-slash path', async () => {
    awx.jobTemplate(7);
    const launched = await client.launch('job_template', 7, { region: 'eu', baton_step: 's1' });
    expect(launched).toMatchObject({ jobType: 'job', ignoredFields: {} });
    const [req] = awx.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/api/v2/job_templates/7/launch/', authScheme: 'Bearer',
      body: { extra_vars: { region: 'eu', baton_step: 's1' } } });
    expect(req.headers['content-type']).toBe('application/json');
    expect(awx.job(launched.jobId)?.extraVars).toEqual({ region: 'eu', baton_step: 's1' });
  });

  it('keeps only harmless fields of the launch response', async () => {
    awx.jobTemplate(8);
    const launched = await client.launch('job_template', 8, {});
    expect(launched.response).toMatchObject({ job: Number(launched.jobId), id: Number(launched.jobId), type: 'job', status: 'pending' });
    expect(JSON.stringify(launched.response)).not.toContain('must-never-be-stored');
    expect(launched.response).not.toHaveProperty('extra_vars');
  });

  it('reads workflow_job for workflow templates and sliced job templates', async () => {
    awx.workflowJobTemplate(11, { askVariablesOnLaunch: true }).jobTemplate(12, { sliced: true });
    const wf = await client.launch('workflow_job_template', 11, { a: 1 });
    expect(wf.jobType).toBe('workflow_job');
    expect(awx.requests[0].path).toBe('/api/v2/workflow_job_templates/11/launch/');
    expect((await client.launch('job_template', 12, {})).jobType).toBe('workflow_job');
  });

  it('returns ignored_fields: the variables a template that does not prompt for them dropped from the job', async () => {
    awx.jobTemplate(13, { askVariablesOnLaunch: false, survey: [{ variable: 'region' }] });
    const launched = await client.launch('job_template', 13, { baton_step: 'x', region: 'eu' });
    expect(launched.ignoredFields).toEqual({ extra_vars: { baton_step: 'x' } });
    expect(awx.job(launched.jobId)?.extraVars).toEqual({ region: 'eu' });
  });

  it('refuses, as AWX does, to filter jobs on extra_vars: which is why a lookup reads them itself', async () => {
    awx.jobTemplate(40);
    const res = await fetch(`${awx.url}/api/v2/job_templates/40/jobs/?extra_vars__contains=x`, { headers: { authorization: 'Bearer awx-secret-token' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ detail: 'Filtering on extra_vars is not allowed.' });
  });

  it('finds the job launched with a baton_command_id in one page listed oldest first: the first launch when there are several', async () => {
    awx.jobTemplate(41);
    const since = new Date(Date.now() - 1000);
    const first = await client.launch('job_template', 41, { baton_command_id: 'cmd-1' });
    for (let i = 0; i < 200; i += 1) await client.launch('job_template', 41, { baton_command_id: `cmd-1${i}` });
    await client.launch('job_template', 41, { baton_command_id: 'cmd-1' });
    const found = await client.findLaunched('job_template', 41, 'cmd-1', since);
    expect(found).toMatchObject({ jobId: first.jobId, jobType: 'job', matches: 1, response: { id: Number(first.jobId), status: 'pending' } });
    expect(found!.response).not.toHaveProperty('extra_vars');
    const lists = awx.requestsTo('GET', /job_templates\/41\/jobs\//).map((r) => new URL(r.path, awx.url).searchParams);
    expect(lists.map((q) => [q.get('order_by'), q.get('page_size'), q.get('page')])).toEqual([['id', '200', null]]);
    // Created before the window: not this row's (and the template keeps the marker: none).
    expect(await client.findLaunched('job_template', 41, 'cmd-1', new Date(Date.now() + 60_000))).toBeNull();
    expect(awx.requestsTo('GET', /job_templates\/41\/launch\//)).toHaveLength(1);
  });

  it('reads one page per list: a full page of others\' launches proves nothing, and is an error', async () => {
    awx.jobTemplate(44);
    const since = new Date(Date.now() - 1000);
    for (let i = 0; i < 200; i += 1) await client.launch('job_template', 44, { baton_command_id: `other-${i}` });
    await client.launch('job_template', 44, { baton_command_id: 'cmd-late' });
    const error = await failure<HandlerHttpError>(client.findLaunched('job_template', 44, 'cmd-late', since));
    expect(error).toMatchObject({ retriable: false });
    expect(error.message).toBe(`AWX lookup of the jobs of job_template 44: more than 200 launches since ${since.toISOString()}, none of them this one`);
    expect(awx.requestsTo('GET', /job_templates\/44\/jobs\//)).toHaveLength(1);
    expect(await client.findLaunched('job_template', 44, 'other-0', since)).toMatchObject({ matches: 1 });
  });

  it('trusts "none" only from a template that keeps baton_command_id: prompted for variables, or asked in its survey', async () => {
    awx.jobTemplate(45, { askVariablesOnLaunch: false, survey: [{ variable: 'baton_command_id', required: true }] })
      .jobTemplate(46, { askVariablesOnLaunch: false, survey: [{ variable: 'region', required: true }] })
      .workflowJobTemplate(47);
    const since = new Date(Date.now() - 1000);
    expect(await client.findLaunched('job_template', 45, 'cmd-none', since)).toBeNull();
    const dropped = await failure<HandlerHttpError>(client.findLaunched('job_template', 46, 'cmd-none', since));
    expect(dropped).toMatchObject({ retriable: false,
      message: 'job_template 46 drops baton_command_id from its launches, so none can be found by it (enable Prompt on launch for variables)' });
    expect(awx.requestsTo('GET', /job_templates\/46\/launch\//)).toHaveLength(1);
    await expect(client.findLaunched('workflow_job_template', 47, 'cmd-none', since)).rejects.toThrow('workflow_job_template 47 drops baton_command_id');
  });

  it('finds the workflow job of a workflow template and of a sliced job template', async () => {
    awx.workflowJobTemplate(42, { askVariablesOnLaunch: true }).jobTemplate(43, { sliced: true });
    const since = new Date(Date.now() - 1000);
    const wf = await client.launch('workflow_job_template', 42, { baton_command_id: 'cmd-wf' });
    const sliced = await client.launch('job_template', 43, { baton_command_id: 'cmd-sl' });
    expect(await client.findLaunched('workflow_job_template', 42, 'cmd-wf', since)).toMatchObject({ jobId: wf.jobId, jobType: 'workflow_job' });
    expect(await client.findLaunched('job_template', 43, 'cmd-sl', since)).toMatchObject({ jobId: sliced.jobId, jobType: 'workflow_job' });
    expect(awx.requestsTo('GET', /workflow_job_templates\/42\/workflow_jobs\//)).toHaveLength(1);
  });

  it('polls a job through its statuses, with artifacts at the end', async () => {
    awx.jobTemplate(14, { statuses: ['pending', 'running', 'successful'], artifacts: { ip: '10.0.0.9' } });
    const { jobId } = await client.launch('job_template', 14, {});
    const seen = [];
    for (let i = 0; i < 3; i += 1) seen.push(await client.getJob('job', jobId));
    expect(seen.map((j) => j.status)).toEqual(['pending', 'running', 'successful']);
    expect(seen[2].artifacts).toEqual({ ip: '10.0.0.9' });
    expect(JSON.stringify(seen[2].response)).not.toContain('must-never-be-stored');
    expect(awx.requestsTo('GET', /jobs/).map((r) => r.path)).toEqual(Array(3).fill(`/api/v2/jobs/${jobId}/`));
  });

  it('cancels an active job (202) and reports a finished one as not cancellable (405)', async () => {
    awx.jobTemplate(15, { statuses: ['running'] });
    const { jobId } = await client.launch('job_template', 15, {});
    await client.getJob('job', jobId);
    expect(await client.cancel('job', jobId)).toBe('accepted');
    expect(awx.requestsTo('POST', /cancel/)[0].path).toBe(`/api/v2/jobs/${jobId}/cancel/`);
    expect((await client.getJob('job', jobId)).status).toBe('canceled');
    expect(await client.cancel('job', jobId)).toBe('not-cancellable');
  });

  it('fails at once on 400 with AWX\'s message, joined', async () => {
    awx.jobTemplate(20, { launchError: { status: 400, body: { variables_needed_to_start: ["'region' value missing", "'size' value missing"] } } });
    const error = await failure<HandlerHttpError>(client.launch('job_template', 20, {}));
    expect(error).toBeInstanceOf(HandlerHttpError);
    expect(error).toMatchObject({ status: 400, retriable: false });
    expect(error.message).toBe("AWX launch of job_template 20 failed (HTTP 400): variables_needed_to_start: 'region' value missing; "
      + "variables_needed_to_start: 'size' value missing");
  });

  it('rejects workflow extra_vars it does not prompt for (400, extra_vars)', async () => {
    awx.workflowJobTemplate(21);
    const error = await failure<HandlerHttpError>(client.launch('workflow_job_template', 21, { baton_flow_id: 'f' }));
    expect(error).toMatchObject({ status: 400, retriable: false });
    expect(error.message).toContain('extra_vars: Variables baton_flow_id provided but not allowed.');
  });

  it.each([
    [403, { detail: 'You do not have permission to perform this action.' }, 'You do not have permission'],
    [404, { detail: 'Not found.' }, 'Not found.'],
  ])('fails at once on %i with detail', async (status, body, text) => {
    awx.jobTemplate(22, { launchError: { status, body } });
    const error = await failure<HandlerHttpError>(client.launch('job_template', 22, {}));
    expect(error).toMatchObject({ status, retriable: false });
    expect(error.message).toContain(text);
  });

  it('404s an unknown template', async () => {
    const error = await failure<HandlerHttpError>(client.launch('job_template', 999, {}));
    expect(error).toMatchObject({ status: 404, retriable: false });
  });

  it('retries 5xx (reading an HTML page) and 429 (with Retry-After)', async () => {
    awx.jobTemplate(23);
    awx.failNext('POST', /launch/, { status: 502, body: '<html><head><title>502 Bad Gateway</title></head></html>', contentType: 'text/html' },
      { status: 429, body: { detail: 'Request was throttled.' }, headers: { 'retry-after': '3' } });
    const e502 = await failure<HandlerHttpError>(client.launch('job_template', 23, {}));
    expect(e502).toMatchObject({ status: 502, retriable: true });
    expect(e502.message).toContain('502 Bad Gateway');
    const e429 = await failure<HandlerHttpError>(client.launch('job_template', 23, {}));
    expect(e429).toMatchObject({ status: 429, retriable: true, retryAfterMs: 3000 });
    await expect(client.launch('job_template', 23, {})).resolves.toMatchObject({ jobType: 'job' });
  });

  it('retries dropped connections and timeouts', async () => {
    awx.jobTemplate(24);
    awx.failNext('POST', /launch/, { status: 200, destroy: true }, { status: 201, delayMs: 1500, body: {} });
    const dropped = await failure<HandlerHttpError>(client.launch('job_template', 24, {}));
    expect(dropped).toMatchObject({ status: null, retriable: true });
    expect(dropped.message).toContain('network error');
    const slow = await failure<HandlerHttpError>(client.launch('job_template', 24, {}));
    expect(slow).toMatchObject({ status: null, retriable: true });
    expect(slow.message).toContain('timed out');
  });

  it('never leaks credentials in errors, even when a server echoes them', async () => {
    awx.jobTemplate(25);
    awx.failNext('POST', /launch/, { status: 500, body: { detail: 'proxy saw Authorization: Bearer awx-secret-token' } });
    const error = await failure<HandlerHttpError>(client.launch('job_template', 25, {}));
    expect(error.message).not.toContain('awx-secret-token');
    expect(error.message).toContain('***');
    expect(awx.requests.every((r) => !('authorization' in r.headers))).toBe(true);
  });

  it('does not follow redirects', async () => {
    awx.failNext('GET', /jobs/, { status: 302, headers: { location: '/api/login/' } });
    const error = await failure<HandlerHttpError>(client.getJob('job', '1'));
    expect(error).toMatchObject({ status: 302, retriable: false });
    expect(error.message).toContain('unexpected redirect to /api/login/');
  });

  it('answers a missing trailing slash with a redirect, which is why every path has one', async () => {
    const res = await transport.send('GET', '/jobs/1', { what: 'probe' });
    expect(res.status).toBe(301);
  });
});

describe('AwxClient auth, prefix and TLS', () => {
  it('uses Basic auth without a token, and 401s wrong credentials (not retriable)', async () => {
    const awx = new FakeAwxServer();
    await awx.start();
    awx.jobTemplate(1);
    const good = awxClient({ AWX_HOST: awx.url, AWX_USERNAME: 'admin', AWX_PASSWORD: 'awx-secret-pw' });
    const bad = awxClient({ AWX_HOST: awx.url, AWX_USERNAME: 'admin', AWX_PASSWORD: 'wrong-password' });
    try {
      await good.client.launch('job_template', 1, {});
      expect(awx.requests[0].authScheme).toBe('Basic');
      const error = await failure<HandlerHttpError>(bad.client.launch('job_template', 1, {}));
      expect(error).toMatchObject({ status: 401, retriable: false });
      expect(error.message).toContain('Invalid username/password.');
      expect(error.message).not.toContain('wrong-password');
    } finally {
      await good.transport.close();
      await bad.transport.close();
      await awx.stop();
    }
  });

  it('talks to /api/controller/v2 behind the AAP gateway', async () => {
    const awx = new FakeAwxServer({ prefix: '/api/controller/v2' });
    await awx.start();
    awx.jobTemplate(3);
    const { client, transport } = awxClient({ AWX_HOST: `${awx.url}/`, AWX_TOKEN: 'awx-secret-token', AWX_API_PREFIX: '/api/controller/v2/' });
    try {
      const { jobId } = await client.launch('job_template', 3, {});
      await client.getJob('job', jobId);
      expect(awx.requests.map((r) => r.path)).toEqual(['/api/controller/v2/job_templates/3/launch/', `/api/controller/v2/jobs/${jobId}/`]);
    } finally {
      await transport.close();
      await awx.stop();
    }
  });

  it('rejects a self-signed certificate unless allowInvalidSsl, and accepts it then', async () => {
    const awx = new FakeAwxServer({ tls: true });
    await awx.start();
    awx.jobTemplate(4);
    expect(awx.url.startsWith('https://')).toBe(true);
    const strict = awxClient({ AWX_HOST: awx.url, AWX_TOKEN: 'awx-secret-token' });
    const lax = awxClient({ AWX_HOST: awx.url, AWX_TOKEN: 'awx-secret-token', AWX_ALLOW_INVALID_SSL: 'true' });
    try {
      const error = await failure<HandlerHttpError>(strict.client.launch('job_template', 4, {}));
      expect(error).toMatchObject({ status: null, retriable: false });
      expect(error.message).toContain('TLS certificate verification failed');
      expect(error.message).toContain('AWX_ALLOW_INVALID_SSL=true');
      expect(awx.requests).toHaveLength(0);
      await expect(lax.client.launch('job_template', 4, {})).resolves.toMatchObject({ jobType: 'job' });
    } finally {
      await strict.transport.close();
      await lax.transport.close();
      await awx.stop();
    }
  });

  it('retries when nothing listens', async () => {
    const awx = new FakeAwxServer();
    await awx.start();
    const url = awx.url;
    await awx.stop();
    const { client, transport } = awxClient({ AWX_HOST: url, AWX_TOKEN: 't0ken-x' });
    try {
      const error = await failure<HandlerHttpError>(client.launch('job_template', 1, {}));
      expect(error).toMatchObject({ status: null, retriable: true });
      expect(error.message).toContain('ECONNREFUSED');
    } finally {
      await transport.close();
    }
  });
});

describe('HttpTransport', () => {
  it('shows no credential when logged or serialised', () => {
    const { transport } = awxClient({ AWX_HOST: 'https://awx.example.com', AWX_USERNAME: 'admin', AWX_PASSWORD: 'pw-visible?' });
    expect(JSON.stringify(transport)).not.toContain('pw-visible?');
    expect(inspect(transport, { depth: 5 })).not.toMatch(/pw-visible|YWRtaW46/);
    return transport.close();
  });
});
