import type { StepCommand } from '../../../src/engine/dispatch/step-command';
import { RunChanges } from '../../../src/engine/run-changes';
import { HttpCallStepDispatcher } from '../../../src/handlers/http-call/http-call-step.dispatcher';
import type { HandlerSpec } from '../../../src/registry/entities/step-template.entity';
import { FakePartnerServer } from '../../fakes/fake-partner.server';
import { command, eventually } from './support/job-fixtures';
import { PARTNER_AUTH, partnerEnv } from './support/partner-env';
import { RunnerHarness } from './support/runner-harness';

const LONG = `still-working-on-it-${'x'.repeat(60)}`;
/** A JSON text with a lone surrogate escape: JSON.parse keeps it, jsonb refuses it. */
const LONE_SURROGATE_JSON = '{"state":"done","name":"\\ud83d","note":"a\\u0000b"}';

/**
 * What partners answer is theirs: long states, ids and result types, NUL and lone surrogates,
 * hostile nesting. Every answer must end in a recorded, reported result on the embedded
 * database (which refuses what PostgreSQL refuses), never in a row that is polled or launched forever.
 */
describe('partner answers the database cannot take as they are', () => {
  const h = RunnerHarness.install();
  const partner = new FakePartnerServer(PARTNER_AUTH);
  const config = (env: Record<string, string> = {}) => h.config({ ...partnerEnv(partner), HANDLER_JOB_MAX_POLLS: '4', OO_STATUS_ENDPOINT: 'execution-log', ...env });
  const exportCall = (async: Record<string, unknown>): HandlerSpec => ({ type: 'http', connection: 'erp', method: 'POST', path: '/exports', body: {}, async } as HandlerSpec);
  const orderCall: HandlerSpec = { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: {} } as HandlerSpec;

  const dispatchHttp = async (c: StepCommand) => {
    const changes = new RunChanges();
    await new HttpCallStepDispatcher(config()).dispatch(changes, c);
    for (const [entity, { rows }] of changes.inserts) await h.db.dataSource.createQueryBuilder().insert().into(entity).values(rows).orIgnore().execute();
  };
  const run = async (handler: HandlerSpec) => {
    const c = command(handler);
    if (handler.type === 'http') await dispatchHttp(c);
    else await h.dispatch(config(), c);
    h.startRunner(config());
    const result = await h.reported(c.flowId);
    const row = await eventually(async () => { const r = await h.row(c.flowId); return r.reportedAt ? r : undefined; });
    return { result, row };
  };

  beforeAll(() => partner.start());
  afterAll(() => partner.stop());
  afterEach(() => {
    partner.operationStates = ['running', 'running', 'done'];
    partner.statusUrl = (id) => ({ header: `/api/operations/${id}` });
  });

  describe('long values, fitted to their columns', () => {
    it('reports a polled operation whose done state is longer than the column, compared in full', async () => {
      partner.operationStates = ['running', LONG];
      const { result, row } = await run(exportCall({ statePath: 'state', done: [LONG], failed: ['failed'] }));
      expect(result).toMatchObject({ status: 'SUCCESS', output: { body: { state: LONG } } });
      expect(row).toMatchObject({ status: 'SUCCEEDED', externalStatus: LONG.slice(0, 50), pollingAttempts: 2 });
    });

    it('times out a polled operation whose state is an object, after HANDLER_JOB_MAX_POLLS polls', async () => {
      const answer = { status: 200, body: { state: { phase: 'exporting', detail: 'y'.repeat(80) } } };
      partner.failNext('GET', /^\/api\/operations\//, ...Array.from({ length: 4 }, () => answer));
      const { result, row } = await run(exportCall({ statePath: 'state', done: ['done'] }));
      expect(result.status).toBe('FAILED');
      expect(result.error).toMatch(/^Polling timed out: HTTP operation \/operations\/op-\d+ was still \{"phase":"exporting"/);
      expect(row).toMatchObject({ status: 'FAILED', pollingAttempts: 4 });
      expect(row.externalStatus).toHaveLength(50);
    });

    it('times out an AWX job whose unknown status is longer than the column', async () => {
      h.awx.jobTemplate(71, { statuses: [LONG] });
      const { result, row } = await run({ type: 'awx', jobTemplateId: 71 } as HandlerSpec);
      expect(result.error).toMatch(/^Polling timed out: AWX job \d+ was still still-working-on-it-x+/);
      expect(row).toMatchObject({ status: 'FAILED', pollingAttempts: 4, externalStatus: LONG.slice(0, 50) });
    });

    it('fails an OO execution whose result type is longer than the column, keeping the full one in the error', async () => {
      h.oo.flow('5f3a1c2e-0000-4000-8000-000000000071', { states: [{ status: 'COMPLETED', resultStatusType: `RESOLVED_${'Z'.repeat(60)}` }] });
      const { result, row } = await run({ type: 'oo', flowUuid: '5f3a1c2e-0000-4000-8000-000000000071' } as HandlerSpec);
      expect(result.error).toContain(`with result RESOLVED_${'Z'.repeat(60)} (success: RESOLVED)`);
      expect(row).toMatchObject({ status: 'FAILED', externalStatus: 'COMPLETED', externalResult: `RESOLVED_${'Z'.repeat(41)}` });
    });

    it('never polls a cut AWX or OO job id: an id too long to track is a lost answer, its job looked for (none here) and launched again', async () => {
      h.awx.jobTemplate(72).failNext('POST', /job_templates\/72\/launch/, { status: 201, body: { job: '7'.repeat(120), type: 'job' } });
      const awx = await run({ type: 'awx', jobTemplateId: 72 } as HandlerSpec);
      expect(awx.result.status).toBe('SUCCESS');
      expect(awx.row).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 2, externalJobId: String(h.awx.launches().find((j) => j.templateId === 72)!.id) });

      h.oo.flow('5f3a1c2e-0000-4000-8000-000000000072').failNext('POST', /executions$/, { status: 201, body: 'e'.repeat(120), contentType: 'text/plain' });
      const oo = await run({ type: 'oo', flowUuid: '5f3a1c2e-0000-4000-8000-000000000072' } as HandlerSpec);
      expect(oo.result.status).toBe('SUCCESS');
      expect(oo.row).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 2, externalJobId: h.oo.launches().find((e) => e.flowUuid.endsWith('72'))!.id });
    });
  });

  describe('text PostgreSQL cannot store, replaced by U+FFFD', () => {
    it('keeps a response with a lone surrogate and a NUL as the output of a call', async () => {
      partner.failNext('POST', /^\/api\/orders$/, { status: 201, body: LONE_SURROGATE_JSON, contentType: 'application/json' });
      const { result, row } = await run(orderCall);
      expect(result).toMatchObject({ status: 'SUCCESS', output: { status: 201, body: { name: '\uFFFD', note: 'a\uFFFDb' } } });
      expect(row).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 1 });
    });

    it('fails a call whose error body holds a NUL with that error, once', async () => {
      partner.failNext('POST', /^\/api\/orders$/, { status: 400, body: 'sku\u0000 is required', contentType: 'text/plain' });
      const { result, row } = await run(orderCall);
      expect(result.error).toBe('POST /api/orders failed (HTTP 400): sku\uFFFD is required');
      expect(row).toMatchObject({ status: 'FAILED', launchAttempts: 1, error: result.error });
    });

    it('finishes a polled operation whose status answer holds a lone surrogate', async () => {
      partner.failNext('GET', /^\/api\/operations\//, { status: 200, body: LONE_SURROGATE_JSON, contentType: 'application/json' });
      const { result } = await run(exportCall({ statePath: 'state', done: ['done'] }));
      expect(result).toMatchObject({ status: 'SUCCESS', output: { body: { state: 'done', name: '\uFFFD' } } });
    });

    it('keeps a body nested past any stack as a bounded value', async () => {
      const depth = 30_000;
      partner.failNext('POST', /^\/api\/orders$/, { status: 201, body: `${'['.repeat(depth)}${']'.repeat(depth)}`, contentType: 'application/json' });
      const { result } = await run(orderCall);
      expect(result.status).toBe('SUCCESS');
      expect(JSON.stringify((result.output as { body: unknown }).body)).toContain('not kept');
    });

    /**
     * AWX's error message was read with a recursive walk, whose RangeError on a 5xx nested thousands
     * deep was not retriable: a launch failed for good, and a poll cancelled the running job.
     */
    it('retries an AWX launch and a poll answered 502 with a body nested past any stack, cancelling nothing', async () => {
      const depth = 20_000;
      const nested = { status: 502, body: `{"detail":${'['.repeat(depth)}"bad gateway"${']'.repeat(depth)}}`, contentType: 'application/json' };
      h.awx.jobTemplate(74, { statuses: ['running', 'running', 'successful'] });
      h.awx.failNext('POST', /job_templates\/74\/launch/, nested);
      h.awx.failNext('GET', /\/jobs\/\d+\/$/, nested);
      const { result, row } = await run({ type: 'awx', jobTemplateId: 74 } as HandlerSpec);
      expect(result.status).toBe('SUCCESS');
      expect(row).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 2 });
      const jobs = h.awx.launches().filter((j) => j.templateId === 74);
      expect(jobs).toHaveLength(1);
      expect(h.awx.requestsTo('GET', new RegExp(`/jobs/${jobs[0].id}/$`)).length).toBeGreaterThan(1);
      expect(h.awx.requestsTo('POST', new RegExp(`/jobs/${jobs[0].id}/cancel/`))).toHaveLength(0);
    });

    it('reports AWX artifacts and OO flow output with NUL and lone surrogates', async () => {
      h.awx.jobTemplate(73, { statuses: ['successful'], artifacts: { vm: 'vm\u0000-1', name: '\ud83d', 'k\u0000': 1 } });
      const awx = await run({ type: 'awx', jobTemplateId: 73 } as HandlerSpec);
      expect(awx.result).toMatchObject({ status: 'SUCCESS', output: { artifacts: { vm: 'vm\uFFFD-1', name: '\uFFFD', 'k\uFFFD': 1 } } });

      h.oo.flow('5f3a1c2e-0000-4000-8000-000000000073', { states: [{ status: 'COMPLETED', resultStatusType: 'RESOLVED' }], flowOutput: { host: '\udc00h', id: 'a\u0000' } });
      const oo = await run({ type: 'oo', flowUuid: '5f3a1c2e-0000-4000-8000-000000000073' } as HandlerSpec);
      expect(oo.result).toMatchObject({ status: 'SUCCESS', output: { flowOutput: { host: '\uFFFDh', id: 'a\uFFFD' } } });
    });
  });

  it('refuses a 202 status URL whose path hides encoded slashes behind an undecodable segment', async () => {
    partner.statusUrl = () => ({ header: '/api/%FF%2F..%2F..%2Fadmin%2Fusers' });
    const { result } = await run(exportCall({ statePath: 'state', done: ['done'] }));
    expect(result.error).toMatch(/answered 202 with a status URL that is not polled: the status URL path must not contain an encoded \//);
    expect(partner.requests.filter((r) => r.path.includes('%FF'))).toHaveLength(0);
  });
});
