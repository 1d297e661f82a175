import { FakeAwxServer } from '../../fakes/fake-awx.server';
import { FakeOoServer } from '../../fakes/fake-oo.server';
import { waitForRun } from '../../helpers/runs';
import type { TestApp } from '../../helpers/test-app';
import { eventually } from './support/job-fixtures';
import { handlerEnv, jobsOf, keptDataDir, registerTemplate, startEngineApp, startRun, timeline } from './support/engine-app';

const FLOW = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const RUNNING_POLLS = 25;

describe('built-in handlers through the whole engine: a restart while a job is being polled', () => {
  const awx = new FakeAwxServer();
  const oo = new FakeOoServer();
  let data: Awaited<ReturnType<typeof keptDataDir>>;
  let t: TestApp | undefined;

  beforeAll(async () => {
    await Promise.all([awx.start(), oo.start()]);
    data = await keptDataDir();
    // A slow job: pending, then running for a while, then successful.
    awx.jobTemplate(51, { statuses: ['pending', ...Array<string>(RUNNING_POLLS).fill('running'), 'successful'], artifacts: { vm_id: 'vm-51' } });
    oo.flow(FLOW, { states: [{ status: 'RUNNING' }, { status: 'COMPLETED', resultStatusType: 'RESOLVED' }] });
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([awx.stop(), oo.stop()]);
    data?.remove();
  });

  it('resumes polling from the database after a restart: one launch, and the run completes', async () => {
    t = await startEngineApp(handlerEnv(awx, oo, data.env()));
    await registerTemplate(t, 'slowProvisioning', [
      { seq: 1, name: 'provisionVm', handler: { type: 'awx', jobTemplateId: 51 } },
      { seq: 2, name: 'configureVm', handler: { type: 'oo', flowUuid: FLOW, inputs: { vmId: '${steps.provisionVm.output.artifacts.vm_id}' } } },
    ]);
    const flowId = await startRun(t, 'slowProvisioning', { owner: 'ops@example.com' });
    const job = await eventually(() => {
      const launched = awx.launches().find((j) => j.extraVars.baton_flow_id === flowId);
      return launched && launched.polls >= 2 ? launched : undefined;
    }, 10_000, 'the AWX job to be polled twice');

    await t.close();
    t = undefined;
    const pollsBeforeRestart = job.polls;
    expect(job.status).toBe('running');
    expect(pollsBeforeRestart).toBeLessThan(RUNNING_POLLS);

    t = await startEngineApp(handlerEnv(awx, oo, data.env()));
    const running = await t.http.get(`/api/orchestration/runs/${flowId}`).expect(200);
    expect(running.body.status).toBe('RUNNING');

    const run = await waitForRun(t, flowId, 'COMPLETED', 20_000);
    expect(timeline(run)).toEqual(['DO:provisionVm:SUCCEEDED', 'DO:configureVm:SUCCEEDED']);
    expect(awx.requestsTo('POST', /job_templates\/51\/launch\/$/)).toHaveLength(1);
    expect(job.polls).toBeGreaterThan(pollsBeforeRestart);
    expect(oo.launches().find((e) => e.runName.includes(`flow=${flowId}`))?.inputs).toEqual({ vmId: 'vm-51' });

    // The poll count carried over the restart: the row counts every poll the fake answered.
    const [awxJob] = await jobsOf(t, flowId);
    expect(awxJob).toMatchObject({
      status: 'SUCCEEDED', launchAttempts: 1, externalJobId: String(job.id), pollingAttempts: job.polls, externalStatus: 'successful',
    });
    expect(awx.requestsTo('GET', new RegExp(`/jobs/${job.id}/$`))).toHaveLength(job.polls);
  });
});
