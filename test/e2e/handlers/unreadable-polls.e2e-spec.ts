import type { Reply } from '../../fakes/fake-http.server';
import { command } from './support/job-fixtures';
import { RunnerHarness } from './support/runner-harness';

const MAINTENANCE_PAGE: Reply = {
  status: 200, contentType: 'text/html', body: '<html><head><title>Down for maintenance</title></head><body>Back soon</body></html>',
};
const json = (body: unknown): Reply => ({ status: 200, body });

/**
 * A status poll answered 200 with a body Baton cannot read is most likely a proxy's or a
 * maintenance page, not the partner's word on the job: a failed poll, polled again and counted
 * toward the poll limit, never a reason to fail the step or to cancel a job that still runs.
 */
describe('status polls answered 200 with a body Baton cannot read', () => {
  const h = RunnerHarness.install();

  it('polls an AWX job again after a page, a list and an object with no status, cancelling nothing', async () => {
    h.awx.jobTemplate(81, { statuses: ['running', 'successful'] });
    h.awx.failNext('GET', /\/jobs\/\d+\/$/, MAINTENANCE_PAGE, json([{ status: 'failed' }]), json({ detail: 'ok' }));
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 81 });
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS', output: { status: 'successful' } });
    const r = await h.row(c.flowId);
    expect(r).toMatchObject({ status: 'SUCCEEDED', pollingAttempts: 5, cancelRequestedAt: null, error: null });
    expect(h.awx.requestsTo('POST', /\/jobs\/\d+\/cancel\/$/)).toHaveLength(0);
  });

  it('counts unreadable AWX answers toward the poll limit, as any failed poll', async () => {
    h.awx.jobTemplate(82, { statuses: ['running'] });
    h.awx.failNext('GET', /\/jobs\/\d+\/$/, MAINTENANCE_PAGE, MAINTENANCE_PAGE, MAINTENANCE_PAGE);
    const config = h.config({ HANDLER_JOB_MAX_POLLS: '3' });
    const c = command({ type: 'awx', jobTemplateId: 82 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    const r = await h.row(c.flowId);
    expect(result.error).toBe(`Polling timed out: AWX job ${r.externalJobId} was still running after 3 polls (every 20 ms); cancel requested`);
    expect(h.awx.job(r.externalJobId!)?.polls).toBe(0);
  });

  it.each([
    ['summary', [MAINTENANCE_PAGE, json({ status: 'COMPLETED' })]],
    ['execution-log', [MAINTENANCE_PAGE, json(['COMPLETED'])]],
  ] as const)('polls an OO execution again after unreadable %s answers, cancelling nothing', async (endpoint, replies) => {
    const flow = endpoint === 'summary' ? '8b1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e51' : '8b1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e52';
    h.oo.flow(flow, { states: [{ status: 'RUNNING' }, { status: 'COMPLETED', resultStatusType: 'RESOLVED' }] });
    h.oo.failNext('GET', new RegExp(`/executions/\\d+/${endpoint}$`), ...replies);
    const config = h.config({ OO_STATUS_ENDPOINT: endpoint });
    const c = command({ type: 'oo', flowUuid: flow });
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS', output: { status: 'COMPLETED', resultStatusType: 'RESOLVED' } });
    expect(await h.row(c.flowId)).toMatchObject({ status: 'SUCCEEDED', pollingAttempts: 4, cancelRequestedAt: null });
    expect(h.oo.requestsTo('PUT', /\/executions\/\d+\/status$/)).toHaveLength(0);
  });
});
