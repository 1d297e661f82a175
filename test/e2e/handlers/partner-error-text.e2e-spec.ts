import type { StepCommand } from '../../../src/engine/dispatch/step-command';
import { RunChanges } from '../../../src/engine/run-changes';
import { HttpCallStepDispatcher } from '../../../src/handlers/http-call/http-call-step.dispatcher';
import type { HandlerSpec } from '../../../src/registry/entities/step-template.entity';
import { FakePartnerServer } from '../../fakes/fake-partner.server';
import { command, eventually } from './support/job-fixtures';
import { ERP_TOKEN, PARTNER_AUTH, partnerEnv } from './support/partner-env';
import { RunnerHarness } from './support/runner-harness';

/** A token Baton does not know, shaped as a JWT. */
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZXBsb3ktYm90In0.U2lnbmVkQnlTb21lb25lRWxzZQ';
/** Parts of the texts below that must never reach a step's error, its row or a log line. */
const NEVER_KEPT = /awx-secret-token|oo-secret-pw|canary-erp-token|eyJhbGciOiJSUzI1NiJ9|U2lnbmVkQnlTb21lb25lRWxzZQ|hunter2-db|998877/;

/**
 * Error text from AWX, OO and HTTP partners (an error body, job_explanation, a pause reason)
 * becomes a step's error, shown by the API and logged. It may quote Baton's own credential (an
 * echoed request) or someone else's (a callback URL, a failed task's log): Baton's are cut as
 * everywhere, and anything shaped like a bearer token, a JWT or a `token=` / `password=` value too.
 */
describe('partner error text reaching a step\'s error', () => {
  const h = RunnerHarness.install();
  const partner = new FakePartnerServer(PARTNER_AUTH);
  beforeAll(() => partner.start());
  afterAll(() => partner.stop());

  const finished = async (flowId: string) => {
    const result = await h.reported(flowId);
    const row = await eventually(async () => { const r = await h.row(flowId); return r.reportedAt ? r : undefined; });
    return { result, row };
  };

  it('scrubs an AWX job_explanation in the step\'s error and the kept response', async () => {
    h.awx.jobTemplate(91, { statuses: ['failed'],
      jobExplanation: `Task failed: GET https://vault.example.com/v1?token=${JWT} with Authorization: Bearer awx-secret-token; db password=hunter2-db` });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 91 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const { result, row } = await finished(c.flowId);
    expect(result.error).toBe(`AWX job ${row.externalJobId} failed: status failed: Task failed: GET https://vault.example.com/v1?token=*** `
      + 'with Authorization: ***; db password=***');
    expect(row.error).toBe(result.error);
    expect(row.responsePayload?.job_explanation).toContain('token=***');
    expect(JSON.stringify([result, row])).not.toMatch(NEVER_KEPT);
  });

  it('scrubs an AWX error body quoting a bearer token and a JWT', async () => {
    h.awx.jobTemplate(92, { launchError: { status: 400, body: { detail: `refused callback ?access_token=${JWT}, sent Bearer awx-secret-token` } } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 92 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const { result, row } = await finished(c.flowId);
    expect(result.error).toBe('AWX launch of job_template 92 failed (HTTP 400): refused callback ?access_token=***, sent Bearer ***');
    expect(JSON.stringify([result, row])).not.toMatch(NEVER_KEPT);
  });

  it('scrubs an OO pause reason in the step\'s error and the kept response', async () => {
    const flow = '9c1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e91';
    h.oo.flow(flow, { states: [{ status: 'RUNNING' }] });
    h.oo.failNext('GET', /\/executions\/\d+\/summary$/, { status: 200,
      body: [{ status: 'CANCELED', pauseReason: `login as oo-admin:oo-secret-pw refused, token ${JWT}` }] });
    const config = h.config();
    const c = command({ type: 'oo', flowUuid: flow });
    await h.dispatch(config, c);
    h.startRunner(config);
    const { result, row } = await finished(c.flowId);
    expect(result.error).toBe(`OO execution ${row.externalJobId} failed: status CANCELED: pause reason: login as oo-admin:*** refused, token ***`);
    expect(row.responsePayload?.pauseReason).toBe('login as oo-admin:*** refused, token ***');
    expect(JSON.stringify([result, row])).not.toMatch(NEVER_KEPT);
  });

  it('scrubs an HTTP partner\'s error body in the step\'s error and its output', async () => {
    const config = h.config(partnerEnv(partner));
    partner.failNext('POST', /^\/api\/orders$/, { status: 400,
      body: { message: `echoed Authorization Bearer ${ERP_TOKEN}; retry with ?api_key=k-998877 or ${JWT}`,
        // A key and its value, scrubbed apart, were kept whole in the output while the error cut them.
        request: { user: 'ops', password: 'hunter2-db', client_secret: 'hunter2-db-secret', X_Api_Key: 998877 } } });
    const c: StepCommand = command({ type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {} } as HandlerSpec);
    const changes = new RunChanges();
    await new HttpCallStepDispatcher(config).dispatch(changes, c);
    for (const [entity, { rows }] of changes.inserts) await h.db.dataSource.createQueryBuilder().insert().into(entity).values(rows).orIgnore().execute();
    h.startRunner(config);
    const { result, row } = await finished(c.flowId);
    expect(result.error).toBe('POST /api/orders failed (HTTP 400): echoed Authorization Bearer ***; retry with ?api_key=*** or ***');
    expect(result.output).toMatchObject({ status: 400, body: { message: 'echoed Authorization Bearer ***; retry with ?api_key=*** or ***',
      request: { user: 'ops', password: '***', client_secret: '***', X_Api_Key: '***' } } });
    expect(JSON.stringify([result, row])).not.toMatch(NEVER_KEPT);
  });

  /** A 2xx answer that failed the step by its success rule kept `client_secret` whole in the output. */
  it('cuts credential-named keys from a 2xx answer that its success rule fails', async () => {
    const config = h.config(partnerEnv(partner));
    partner.failNext('POST', /^\/api\/orders$/, { status: 200, body: { status: 'error', client_secret: 'hunter2-db-secret' } });
    const c: StepCommand = command({ type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {},
      success: { path: 'status', equals: 'ok' } } as HandlerSpec);
    const changes = new RunChanges();
    await new HttpCallStepDispatcher(config).dispatch(changes, c);
    for (const [entity, { rows }] of changes.inserts) await h.db.dataSource.createQueryBuilder().insert().into(entity).values(rows).orIgnore().execute();
    h.startRunner(config);
    const { result, row } = await finished(c.flowId);
    expect(result.error).toBe('POST /api/orders answered HTTP 200 but status is "error", expected "ok"');
    expect(result.output).toMatchObject({ status: 200, body: { status: 'error', client_secret: '***' } });
    expect(JSON.stringify([result, row])).not.toMatch(NEVER_KEPT);
  });
});
