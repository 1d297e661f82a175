import { JobClaimer } from '../../../src/handlers/job-claimer';
import { JobTargets } from '../../../src/handlers/job-targets';
import { command } from './support/job-fixtures';
import { RunnerHarness } from './support/runner-harness';

const FLOW = '8b1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f';
const BAD_GATEWAY = { status: 502, body: '<html><title>502 Bad Gateway</title></html>', contentType: 'text/html' };

/**
 * A launch whose answer was lost (a timeout, a 502 from a proxy in front of AWX/OO, an engine
 * that stopped before recording it) may have started a job. The next attempt looks for it by the
 * marker the launch carried (AWX: extra_vars baton_command_id; OO: the runName) and follows it;
 * only when none carries the marker is the job launched again.
 */
describe('JobRunner: launches whose answer was lost', () => {
  const h = RunnerHarness.install();

  /** An instance claims the launch and dies: `launch` says whether it made the call first. */
  async function dieWhileLaunching(env: Record<string, string>, c: ReturnType<typeof command>, launch: boolean) {
    const config = h.config(env);
    await h.dispatch(config, c);
    const [claimed] = await new JobClaimer(h.repo, config).claim(new Date());
    expect(claimed).toMatchObject({ action: 'launch', row: { flowId: c.flowId, status: 'LAUNCHING' } });
    if (launch) {
      const targets = new JobTargets(config);
      await targets.for(claimed.row.targetType, claimed.row.connection).launch(claimed.row);
      await targets.onApplicationShutdown();
    }
    return config;
  }
  /** Dispatches an AWX step of the template and starts a runner on it. */
  async function runAwxStep(jobTemplateId: number, env: Record<string, string> = {}): Promise<ReturnType<typeof command>> {
    const config = h.config(env);
    const c = command({ type: 'awx', jobTemplateId });
    await h.dispatch(config, c);
    h.startRunner(config);
    return c;
  }
  /** The step succeeded on the one job the template ran, after `launches` launch calls. */
  async function expectOneJobFollowed(c: ReturnType<typeof command>, jobTemplateId: number, { launches, launchAttempts }: { launches: number; launchAttempts: number }) {
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    const jobs = h.awx.launches().filter((j) => j.templateId === jobTemplateId);
    expect(jobs).toHaveLength(1);
    expect(h.awx.requestsTo('POST', new RegExp(`job_templates/${jobTemplateId}/launch`))).toHaveLength(launches);
    expect(await h.row(c.flowId)).toMatchObject({ status: 'SUCCEEDED', externalJobId: String(jobs[0].id), launchAttempts });
  }
  /** A lease that runs out soon (it must outlast the longest claim, 4 exchanges: timeouts to match). */
  const shortLease = { HANDLER_LEASE_MS: '1000', AWX_CONNECT_TIMEOUT_MS: '50', AWX_REQUEST_TIMEOUT_MS: '190',
    OO_CONNECT_TIMEOUT_MS: '50', OO_REQUEST_TIMEOUT_MS: '190' };

  it('follows the job AWX accepted although its answer was a 502: one job, never launched twice', async () => {
    h.awx.jobTemplate(20, { statuses: ['running', 'successful'], artifacts: { vm_id: 'vm-7' }, perLaunch: [{ lostAnswer: BAD_GATEWAY }] });
    const c = await runAwxStep(20);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS', output: { artifacts: { vm_id: 'vm-7' } } });
    const jobs = h.awx.launches().filter((j) => j.templateId === 20);
    expect(jobs).toHaveLength(1);
    expect(h.awx.requestsTo('POST', /job_templates\/20\/launch/)).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ status: 'SUCCEEDED', externalJobId: String(jobs[0].id), launchAttempts: 2, lastLaunchError: null });
    const lookups = h.awx.requestsTo('GET', /job_templates\/20\/(slice_workflow_jobs|jobs)\//).map((r) => r.path);
    expect(lookups).toEqual([
      expect.stringMatching(/^\/api\/v2\/job_templates\/20\/slice_workflow_jobs\/\?created__gte=\d{4}-.*&order_by=id&page_size=200$/),
      expect.stringMatching(/^\/api\/v2\/job_templates\/20\/jobs\/\?created__gte=/),
    ]);
  });

  it('launches again when the 502 came before AWX, never taking a job whose vars only resemble the marker', async () => {
    h.awx.jobTemplate(21, { statuses: ['successful'] });
    const c = command({ type: 'awx', jobTemplateId: 21 });
    // Launched by someone else: an id that starts with this command's, and this command's id in another variable.
    for (const extraVars of [{ baton_command_id: `${c.commandId}-2` }, { note: `retry of ${c.commandId}`, baton_command_id: 'other' }]) {
      const res = await fetch(`${h.awx.url}/api/v2/job_templates/21/launch/`, {
        method: 'POST', headers: { authorization: 'Bearer awx-secret-token', 'content-type': 'application/json' }, body: JSON.stringify({ extra_vars: extraVars }),
      });
      expect(res.status).toBe(201);
    }
    h.awx.failNext('POST', /job_templates\/21\/launch/, BAD_GATEWAY);
    const config = h.config();
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    const ours = h.awx.launches().filter((j) => j.extraVars.baton_command_id === c.commandId);
    expect(ours).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ externalJobId: String(ours[0].id), launchAttempts: 2 });
    // The two launches of others, the one answered 502 before reaching AWX, and ours.
    expect(h.awx.requestsTo('POST', /job_templates\/21\/launch/)).toHaveLength(4);
  });

  it('launches again without looking when the answer proved nothing was started (429)', async () => {
    h.awx.jobTemplate(28, { statuses: ['successful'] });
    h.awx.failNext('POST', /job_templates\/28\/launch/, { status: 429, body: { detail: 'Request was throttled.' } });
    const c = await runAwxStep(28);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    expect(h.awx.requestsTo('POST', /job_templates\/28\/launch/)).toHaveLength(2);
    expect(h.awx.requestsTo('GET', /job_templates\/28\/(slice_workflow_jobs|jobs)\//)).toHaveLength(0);
  });

  it('fails the step for good, launching nothing more, when the job cannot be looked for', async () => {
    h.awx.jobTemplate(22, { perLaunch: [{ lostAnswer: BAD_GATEWAY }] });
    h.awx.failNext('GET', /job_templates\/22\/(slice_workflow_jobs|jobs)\//, { status: 403, body: { detail: 'You do not have permission to perform this action.' } });
    const c = await runAwxStep(22);
    const result = await h.reported(c.flowId);
    expect(result).toMatchObject({ status: 'FAILED', nonRetryable: true });
    expect(result.error).toBe(`Launch outcome unknown: an earlier launch attempt may have started a job, and looking for one carrying baton_command_id ${c.commandId} `
      + 'failed (AWX lookup of the slice_workflow_jobs of job_template 22 failed (HTTP 403): You do not have permission to perform this action.); '
      + 'not launched again, as that could start a second job');
    expect(h.awx.requestsTo('POST', /job_templates\/22\/launch/)).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ status: 'FAILED', externalJobId: null, launchAttempts: 2 });
  });

  it('looks again later when the lookup meets an outage, then follows the job', async () => {
    h.awx.jobTemplate(23, { statuses: ['successful'], perLaunch: [{ lostAnswer: BAD_GATEWAY }] });
    h.awx.failNext('GET', /job_templates\/23\/slice_workflow_jobs\//, { status: 503, body: 'down for maintenance' });
    const c = await runAwxStep(23);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    expect(h.awx.launches().filter((j) => j.templateId === 23)).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ launchAttempts: 3 });
  });

  it('follows the job an engine that stopped during the call had launched', async () => {
    h.awx.jobTemplate(24, { statuses: ['successful'] });
    const c = command({ type: 'awx', jobTemplateId: 24 });
    const config = await dieWhileLaunching(shortLease, c, true);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    expect(h.awx.launches().filter((j) => j.templateId === 24)).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ launchAttempts: 2, status: 'SUCCEEDED' });
  });

  it('follows it on the last attempt too, and fails without relaunching when none was started then', async () => {
    h.awx.jobTemplate(25, { statuses: ['successful'] });
    const env = { ...shortLease, HANDLER_LAUNCH_MAX_ATTEMPTS: '1' };
    const launched = command({ type: 'awx', jobTemplateId: 25 });
    const config = await dieWhileLaunching(env, launched, true);
    const never = command({ type: 'awx', jobTemplateId: 25 });
    await dieWhileLaunching(env, never, false);
    h.startRunner(config);
    expect(await h.reported(launched.flowId)).toMatchObject({ status: 'SUCCESS' });
    const failed = await h.reported(never.flowId);
    expect(failed).toMatchObject({ status: 'FAILED', error: `Launch failed after 1 attempt, and no job carries baton_command_id ${never.commandId}: `
      + 'the launch call ended without a recorded outcome (the engine stopped during it)' });
    expect(failed.nonRetryable).toBeUndefined();
    expect(h.awx.requestsTo('POST', /job_templates\/25\/launch/)).toHaveLength(1);
  });

  it('looks for the job the last allowed attempt may have started, rather than failing it: one job, followed', async () => {
    h.awx.jobTemplate(26, { statuses: ['successful'], perLaunch: [{ lostAnswer: BAD_GATEWAY }] });
    const c = await runAwxStep(26, { HANDLER_LAUNCH_MAX_ATTEMPTS: '1' });
    await expectOneJobFollowed(c, 26, { launches: 1, launchAttempts: 1 });
  });

  it('follows the job of a fifth attempt whose answer was lost after four 503s', async () => {
    const unavailable = { launchError: { status: 503, body: { detail: 'Service Unavailable' } } };
    h.awx.jobTemplate(27, { statuses: ['successful'], perLaunch: [unavailable, unavailable, unavailable, unavailable, { lostAnswer: BAD_GATEWAY }] });
    const c = await runAwxStep(27);
    await expectOneJobFollowed(c, 27, { launches: 5, launchAttempts: 5 });
  });

  it('fails the last attempt retryably, saying why, when its 502 came before AWX and no job carries the marker', async () => {
    h.awx.jobTemplate(29, { statuses: ['successful'] });
    h.awx.failNext('POST', /job_templates\/29\/launch/, BAD_GATEWAY);
    const c = await runAwxStep(29, { HANDLER_LAUNCH_MAX_ATTEMPTS: '1' });
    const failed = await h.reported(c.flowId);
    expect(failed).toMatchObject({ status: 'FAILED',
      error: `Launch failed after 1 attempt, and no job carries baton_command_id ${c.commandId}: AWX launch of job_template 29 failed (HTTP 502): 502 Bad Gateway` });
    expect(failed.nonRetryable).toBeUndefined();
    expect(h.awx.requestsTo('POST', /job_templates\/29\/launch/)).toHaveLength(1);
    expect(h.awx.launches().filter((j) => j.templateId === 29)).toHaveLength(0);
  });

  it('finds the job of a busy template: launches made well before the step was dispatched are not looked through', async () => {
    h.awx.jobTemplate(30, { statuses: ['successful'], perLaunch: [{ lostAnswer: BAD_GATEWAY }] });
    h.awx.launchedByOthers(30, 1001, new Date(Date.now() - 30 * 60_000));
    const c = await runAwxStep(30);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    const ours = h.awx.launches().filter((j) => j.extraVars.baton_command_id === c.commandId);
    expect(ours).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ externalJobId: String(ours[0].id), launchAttempts: 2 });
  });

  it('fails for good, launching nothing more, when the template drops baton_command_id (no Prompt on launch for variables)', async () => {
    h.awx.jobTemplate(31, { askVariablesOnLaunch: false, statuses: ['successful'], perLaunch: [{ lostAnswer: BAD_GATEWAY }] });
    const c = await runAwxStep(31);
    const result = await h.reported(c.flowId);
    expect(result).toMatchObject({ status: 'FAILED', nonRetryable: true });
    expect(result.error).toBe(`Launch outcome unknown: an earlier launch attempt may have started a job, and looking for one carrying baton_command_id ${c.commandId} `
      + 'failed (job_template 31 drops baton_command_id from its launches, so none can be found by it (enable Prompt on launch for variables)); '
      + 'not launched again, as that could start a second job');
    // The job the lost answer started runs without the marker: it is the only one.
    expect(h.awx.launches().filter((j) => j.templateId === 31)).toHaveLength(1);
    expect(h.awx.requestsTo('POST', /job_templates\/31\/launch/)).toHaveLength(1);
  });

  it('follows an OO execution whose launch answer was lost, found by its runName', async () => {
    h.oo.flow(FLOW, { lostAnswers: { 0: { status: 504, body: 'Gateway Timeout' } } });
    const config = h.config();
    const c = command({ type: 'oo', flowUuid: FLOW, runName: 'provision ${payload.email}' });
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS', output: { status: 'COMPLETED', resultStatusType: 'RESOLVED' } });
    const executions = h.oo.launches().filter((e) => e.runName.includes(c.commandId));
    expect(executions).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ externalJobId: executions[0].id, launchAttempts: 2 });
    const [lookup] = h.oo.requestsTo('GET', /\/executions\?/);
    expect(new URL(lookup.path, h.oo.url).searchParams.get('runName')).toBe(executions[0].runName);
  });

  /**
   * AWX or OO accepted the launch and answered 2xx in a way Baton could not read: that failed the
   * step for good, leaving the job they started unfollowed, and a retry of the step launched a second.
   */
  it('follows the job AWX or OO accepted when their 2xx answer could not be read: one job, never launched twice', async () => {
    const unreadable = [
      { status: 201, body: '<html><body>Created</body></html>', contentType: 'text/html' },
      { status: 201, body: { job: '7'.repeat(120), type: 'job' } },
      { status: 202, body: { detail: 'accepted' } },
    ];
    for (const [i, lostAnswer] of unreadable.entries()) {
      h.awx.jobTemplate(32 + i, { statuses: ['successful'], perLaunch: [{ lostAnswer }] });
      const c = await runAwxStep(32 + i);
      await expectOneJobFollowed(c, 32 + i, { launches: 1, launchAttempts: 2 });
    }
    const flow = '8b1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e60';
    h.oo.flow(flow, { lostAnswers: { 0: { status: 201, body: 'e'.repeat(120), contentType: 'text/plain' } } });
    const config = h.config();
    const c = command({ type: 'oo', flowUuid: flow });
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    const executions = h.oo.launches().filter((e) => e.flowUuid === flow);
    expect(executions).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ externalJobId: executions[0].id, launchAttempts: 2 });
  });

  it('fails for good, launching nothing more, when the job its marker finds has an id too long to track', async () => {
    h.awx.jobTemplate(36, { statuses: ['successful'] });
    const c = command({ type: 'awx', jobTemplateId: 36 });
    h.awx.failNext('POST', /job_templates\/36\/launch/, { status: 201, body: { job: '7'.repeat(120), type: 'job' } });
    h.awx.failNext('GET', /job_templates\/36\/slice_workflow_jobs\//, { status: 200, body: { count: 1, next: null, previous: null,
      results: [{ id: '7'.repeat(120), type: 'workflow_job', launch_type: 'manual', extra_vars: JSON.stringify({ baton_command_id: c.commandId }) }] } });
    const config = h.config();
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    expect(result).toMatchObject({ status: 'FAILED', nonRetryable: true });
    expect(result.error).toMatch(/^Launch outcome unknown: .*: the job id is longer than 100 characters and cannot be tracked\); not launched again/);
    expect(h.awx.requestsTo('POST', /job_templates\/36\/launch/)).toHaveLength(1);
    expect(await h.row(c.flowId)).toMatchObject({ status: 'FAILED', externalJobId: null });
  });

  it('fails for good, launching nothing more, when AWX accepted a launch it cannot read that carried no marker', async () => {
    h.awx.jobTemplate(37, { statuses: ['successful'], perLaunch: [{ lostAnswer: { status: 201, body: 'Created', contentType: 'text/plain' } }] });
    const c = await runAwxStep(37, { AWX_TRACE_EXTRA_VARS: 'false' });
    const result = await h.reported(c.flowId);
    expect(result).toMatchObject({ status: 'FAILED', nonRetryable: true });
    expect(result.error).toMatch(new RegExp('^Launch outcome unknown: AWX launch of job_template 37: unexpected response body \\(not a JSON object\\); '
      + 'the launch carried no marker to find its job by \\(AWX_TRACE_EXTRA_VARS=false\\), so it is not launched again: '
      + 'look for a job of job_template 37 created since \\d{4}-'));
    expect(h.awx.requestsTo('POST', /job_templates\/37\/launch/)).toHaveLength(1);
    expect(h.awx.launches().filter((j) => j.templateId === 37)).toHaveLength(1);
  });
});
