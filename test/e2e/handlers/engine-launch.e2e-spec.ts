import { FakeAwxServer } from '../../fakes/fake-awx.server';
import { FakeOoServer } from '../../fakes/fake-oo.server';
import type { TestApp } from '../../helpers/test-app';
import { TestWorker } from '../../helpers/test-worker';
import { expectNoCredentials, handlerEnv, jobsOf, registerTemplate, runToEnd, startEngineApp, timeline } from './support/engine-app';

const MAX_POLLS = 4;
const POLL_MS = 20;

describe('built-in handlers through the whole engine: launch retries, launch failures, poll timeout', () => {
  let t: TestApp;
  let worker: TestWorker;
  const awx = new FakeAwxServer();
  const oo = new FakeOoServer();
  const launchesOf = (templateId: number, flowId: string) => awx.requestsTo('POST', new RegExp(`/job_templates/${templateId}/launch/$`))
    .filter((r) => (r.body as { extra_vars: Record<string, unknown> }).extra_vars.baton_flow_id === flowId);
  const awxStep = (jobTemplateId: number) => ({ seq: 2, name: 'provisionVm', handler: { type: 'awx', jobTemplateId } });

  beforeAll(async () => {
    await Promise.all([awx.start(), oo.start()]);
    awx.jobTemplate(21, { statuses: ['running', 'successful'] })
      .jobTemplate(22, { launchError: { status: 500, body: { detail: 'A server error occurred.' } } })
      .jobTemplate(23, { launchError: { status: 400, body: { variables_needed_to_start: ["'region' value missing"] } } })
      .jobTemplate(24, { statuses: ['pending', 'running'] });
    t = await startEngineApp(handlerEnv(awx, oo, {
      HANDLER_JOB_MAX_POLLS: String(MAX_POLLS), HANDLER_JOB_POLL_INTERVAL_MS: String(POLL_MS),
      HANDLER_LAUNCH_MAX_ATTEMPTS: '5', HANDLER_LAUNCH_BACKOFF_INITIAL_MS: '10', HANDLER_LAUNCH_BACKOFF_MULTIPLIER: '2',
      HANDLER_LAUNCH_BACKOFF_MAX_MS: '40',
    }));
    worker = await new TestWorker(t, 'ipam').start();
    for (const [orchName, templateId] of [['retried', 21], ['exhausted', 22], ['rejected', 23], ['slow', 24]] as const) {
      await registerTemplate(t, orchName, [{ seq: 1, name: 'reserveIp' }, awxStep(templateId)]);
      await worker.register(orchName, ['reserveIp']);
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([awx.stop(), oo.stop()]);
  });

  it('retries a launch through a burst of 5xx with exponential backoff, then succeeds', async () => {
    awx.failNext('POST', /job_templates\/21\/launch\/$/,
      { status: 502, body: '<html><title>502 Bad Gateway</title></html>', contentType: 'text/html' },
      { status: 503, body: { detail: 'Service Unavailable' } },
      { status: 500, body: { detail: 'A server error occurred.' } });
    const run = await runToEnd(t, 'retried', {}, 'COMPLETED');
    expect(timeline(run)).toEqual(['DO:reserveIp:SUCCEEDED', 'DO:provisionVm:SUCCEEDED']);
    // Every attempt carries the flow in extra_vars, so a retried launch can be traced.
    const attempts = launchesOf(21, run.flowId);
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const gaps = attempts.slice(1).map((r, i) => r.at - attempts[i].at);
    [10, 20, 40].forEach((backoff, i) => expect(gaps[i]).toBeGreaterThanOrEqual(backoff));
    const [job] = await jobsOf(t, run.flowId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 4, lastLaunchError: null, nextLaunchAt: null, externalStatus: 'successful' });
  });

  it('fails the step after 5 launch attempts with AWX\'s message, and compensates the run', async () => {
    const run = await runToEnd(t, 'exhausted', {}, 'FAILED');
    const commandId = (await jobsOf(t, run.flowId))[0].commandId;
    const error = `Launch failed after 5 attempts, and no job carries baton_command_id ${commandId}: `
      + 'AWX launch of job_template 22 failed (HTTP 500): A server error occurred.';
    expect(run).toMatchObject({ failedStep: 'provisionVm', error });
    expect(timeline(run)).toEqual(['DO:reserveIp:SUCCEEDED', 'DO:provisionVm:FAILED', 'UNDO:reserveIp:SUCCEEDED']);
    expect(run.steps[1].error).toBe(error);
    expect(worker.commandsFor(run.flowId)).toEqual(['DO:reserveIp', 'UNDO:reserveIp']);
    expect(launchesOf(22, run.flowId)).toHaveLength(5);
    const [job] = await jobsOf(t, run.flowId);
    expect(job).toMatchObject({
      status: 'FAILED', launchAttempts: 5, externalJobId: null, error,
      lastLaunchError: 'AWX launch of job_template 22 failed (HTTP 500): A server error occurred.',
    });
    expectNoCredentials([run, job]);
  });

  it('fails the step at once on a 400, with the message from AWX\'s error body', async () => {
    const run = await runToEnd(t, 'rejected', {}, 'FAILED');
    const error = "AWX launch of job_template 23 failed (HTTP 400): variables_needed_to_start: 'region' value missing";
    expect(run).toMatchObject({ failedStep: 'provisionVm', error });
    expect(timeline(run)).toEqual(['DO:reserveIp:SUCCEEDED', 'DO:provisionVm:FAILED', 'UNDO:reserveIp:SUCCEEDED']);
    expect(launchesOf(23, run.flowId)).toHaveLength(1);
    expect((await jobsOf(t, run.flowId))[0]).toMatchObject({ status: 'FAILED', launchAttempts: 1, error });
  });

  it('fails the step with a clear reason when polling times out, and cancels the job', async () => {
    const run = await runToEnd(t, 'slow', {}, 'FAILED');
    const job = awx.launches().find((j) => j.extraVars.baton_flow_id === run.flowId)!;
    const error = `Polling timed out: AWX job ${job.id} was still running after ${MAX_POLLS} polls (every ${POLL_MS} ms); cancel requested`;
    expect(run).toMatchObject({ failedStep: 'provisionVm', error });
    expect(timeline(run)).toEqual(['DO:reserveIp:SUCCEEDED', 'DO:provisionVm:FAILED', 'UNDO:reserveIp:SUCCEEDED']);
    expect(awx.requestsTo('GET', new RegExp(`/jobs/${job.id}/$`))).toHaveLength(MAX_POLLS);
    expect(awx.requestsTo('POST', new RegExp(`/jobs/${job.id}/cancel/$`))).toHaveLength(1);
    expect((await jobsOf(t, run.flowId))[0]).toMatchObject({
      status: 'FAILED', pollingAttempts: MAX_POLLS, externalStatus: 'running', error, cancelRequestedAt: expect.any(String),
    });
  });
});
