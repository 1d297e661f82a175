import { JobClaimer } from '../../../src/handlers/job-claimer';
import { command, eventually } from './support/job-fixtures';
import { RunnerHarness } from './support/runner-harness';

const FLOW = '6f1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f';

describe('JobRunner on the embedded database: launch, poll, restart, concurrency', () => {
  const h = RunnerHarness.install();

  it('launches an AWX job template, polls it to success and reports the output', async () => {
    h.awx.jobTemplate(1, { statuses: ['pending', 'running', 'successful'], artifacts: { vm_id: 'vm-42' } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 1, extraVars: { owner: '${payload.email}', size: '${payload.size}', ip: '${steps.reserveIp.output.ip}' } },
      { outputs: { reserveIp: { ip: '10.1.2.3' } } });
    expect(await h.dispatch(config, c)).toBe('awx:default');
    expect((await h.row(c.flowId)).status).toBe('PENDING_LAUNCH');
    h.startRunner(config);

    const result = await h.reported(c.flowId);
    expect(result).toMatchObject({
      flowId: c.flowId, stepName: 'provision', action: 'DO', attempt: 1, commandId: c.commandId, status: 'SUCCESS',
      output: { jobType: 'job', status: 'successful', artifacts: { vm_id: 'vm-42' } },
    });
    const job = h.awx.launches().find((j) => j.extraVars.baton_command_id === c.commandId)!;
    expect(job.extraVars).toEqual({ owner: 'ops@example.com', size: 2, ip: '10.1.2.3',
      baton_flow_id: c.flowId, baton_step: 'provision', baton_command_id: c.commandId });
    const done = await eventually(async () => { const r = await h.row(c.flowId); return r.reportedAt ? r : undefined; });
    expect(done).toMatchObject({
      status: 'SUCCEEDED', targetType: 'AWX', resourceType: 'job_template', resourceId: '1', connection: 'default',
      externalJobId: String(job.id), externalJobType: 'job', externalStatus: 'successful', launchAttempts: 1, pollingAttempts: 3,
      correlationId: c.correlationId, error: null, nextPollAt: null,
    });
    expect(done.sentAt).toBeInstanceOf(Date);
    expect(done.completedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(done)).not.toMatch(/awx-secret|must-never-be-stored/);
  });

  it('retries a launch after 5xx and 429, then succeeds', async () => {
    h.awx.jobTemplate(2, { statuses: ['successful'] });
    h.awx.failNext('POST', /job_templates\/2\/launch/, { status: 503, body: 'down' }, { status: 429, body: { detail: 'slow down' } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 2 });
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    expect(h.awx.requestsTo('POST', /job_templates\/2\/launch/)).toHaveLength(3);
    expect(await h.row(c.flowId)).toMatchObject({ launchAttempts: 3, lastLaunchError: null, status: 'SUCCEEDED' });
  });

  it('fails the step after 5 launch attempts', async () => {
    h.awx.jobTemplate(3, { launchError: { status: 500, body: '<html><title>Server Error (500)</title></html>', contentType: 'text/html' } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 3 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    expect(result.status).toBe('FAILED');
    // A 500 may come after AWX made the job: the last attempt too is looked for before the step fails.
    expect(result.error).toBe(`Launch failed after 5 attempts, and no job carries baton_command_id ${c.commandId}: `
      + 'AWX launch of job_template 3 failed (HTTP 500): Server Error (500)');
    expect(h.awx.requestsTo('POST', /job_templates\/3\/launch/)).toHaveLength(5);
    expect(await h.row(c.flowId)).toMatchObject({ status: 'FAILED', launchAttempts: 5, externalJobId: null });
  });

  it('fails at once on a 400 with AWX\'s message', async () => {
    h.awx.jobTemplate(4, { launchError: { status: 400, body: { variables_needed_to_start: ["'region' value missing"] } } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 4 });
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({
      status: 'FAILED', error: "AWX launch of job_template 4 failed (HTTP 400): variables_needed_to_start: 'region' value missing",
    });
    expect(h.awx.requestsTo('POST', /job_templates\/4\/launch/)).toHaveLength(1);
  });

  it('fails a job AWX reports failed, keeping its status', async () => {
    h.awx.jobTemplate(5, { statuses: ['running', 'failed'], jobExplanation: 'Previous Task Failed' });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 5 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    const jobId = (await h.row(c.flowId)).externalJobId;
    expect(result).toMatchObject({ status: 'FAILED', error: `AWX job ${jobId} failed: status failed: Previous Task Failed`, output: { status: 'failed' } });
  });

  it('times out polling with a clear reason, and cancels the job', async () => {
    h.awx.jobTemplate(6, { statuses: ['running'] });
    const config = h.config({ HANDLER_JOB_MAX_POLLS: '3' });
    const c = command({ type: 'awx', jobTemplateId: 6 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    const r = await h.row(c.flowId);
    expect(result.error).toBe(`Polling timed out: AWX job ${r.externalJobId} was still running after 3 polls (every 20 ms); cancel requested`);
    expect(r).toMatchObject({ status: 'FAILED', pollingAttempts: 3 });
    expect(h.awx.job(r.externalJobId!)?.cancelRequested).toBe(true);
  });

  it('cancels a job whose status poll fails for good (a token rotated), and says so in the step\'s error', async () => {
    h.awx.jobTemplate(26, { statuses: ['running'] });
    h.awx.failNext('GET', /\/jobs\/\d+\/$/, { status: 401, body: { detail: 'Invalid token.' } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 26 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    const r = await h.row(c.flowId);
    expect(result.error).toBe(`AWX status of job ${r.externalJobId} failed (HTTP 401): Invalid token.; cancel requested`);
    expect(result.nonRetryable).toBeUndefined();
    expect(h.awx.job(r.externalJobId!)?.cancelRequested).toBe(true);
    expect(r).toMatchObject({ status: 'FAILED', cancelRequestedAt: expect.any(Date) });
  });

  it('says when the cancel of a job whose poll failed for good could not be sent either, and does not retry the step', async () => {
    h.awx.jobTemplate(27, { statuses: ['running'] });
    h.awx.failNext('GET', /\/jobs\/\d+\/$/, { status: 401, body: { detail: 'Invalid token.' } });
    h.awx.failNext('POST', /\/jobs\/\d+\/cancel\/$/, { status: 401, body: { detail: 'Invalid token.' } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 27 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    const r = await h.row(c.flowId);
    expect(result.error).toBe(`AWX status of job ${r.externalJobId} failed (HTTP 401): Invalid token.; `
      + `cancel could not be sent: AWX cancel of job ${r.externalJobId} failed (HTTP 401): Invalid token.; not retried, as the job may still run`);
    // A retry would launch a second job beside the one still running.
    expect(result.nonRetryable).toBe(true);
    expect(h.awx.job(r.externalJobId!)?.cancelRequested).toBe(false);
    expect(r).toMatchObject({ status: 'FAILED', cancelRequestedAt: null });
  });

  it('fails the step retryably when AWX says the job no longer exists, to its poll and to its cancel', async () => {
    h.awx.jobTemplate(28, { statuses: ['running'] });
    h.awx.failNext('GET', /\/jobs\/\d+\/$/, { status: 404, body: { detail: 'Not found.' } });
    h.awx.failNext('POST', /\/jobs\/\d+\/cancel\/$/, { status: 404, body: { detail: 'Not found.' } });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 28 });
    await h.dispatch(config, c);
    h.startRunner(config);
    const result = await h.reported(c.flowId);
    const r = await h.row(c.flowId);
    expect(result.error).toBe(`AWX status of job ${r.externalJobId} failed (HTTP 404): Not found.; not cancelled (it no longer exists)`);
    // Nothing runs any more: a retry of the step starts the only job.
    expect(result.nonRetryable).toBeUndefined();
    expect(r).toMatchObject({ status: 'FAILED', cancelRequestedAt: null });
  });

  it('resumes polling after a restart, from the state in the database', async () => {
    h.awx.jobTemplate(7, { statuses: ['pending', 'running', 'running', 'running', 'running', 'successful'] });
    const env = { HANDLER_JOB_POLL_INTERVAL_MS: '250' };
    const config = h.config(env);
    const c = command({ type: 'awx', jobTemplateId: 7 });
    await h.dispatch(config, c);
    const first = h.startRunner(config);
    await eventually(async () => (await h.row(c.flowId)).pollingAttempts >= 2, 10_000, 'two polls');
    await first.stop();
    const paused = await h.row(c.flowId);
    expect(paused.status).toBe('RUNNING');
    expect(paused.nextPollAt!.getTime()).toBeGreaterThan(paused.lastPolledAt!.getTime());
    const jobPath = new RegExp(`/jobs/${paused.externalJobId}/$`);
    const pollsBefore = h.awx.requestsTo('GET', jobPath).length;
    expect(h.sink.for(c.flowId)).toHaveLength(0);

    h.startRunner(h.config(env));
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    const polls = h.awx.requestsTo('GET', jobPath);
    expect(polls).toHaveLength(6);
    // The new instance waited for the poll time the old one had recorded.
    expect(polls[pollsBefore].at).toBeGreaterThanOrEqual(paused.nextPollAt!.getTime() - 5);
    expect(h.awx.requestsTo('POST', /job_templates\/7\/launch/)).toHaveLength(1);
    expect((await h.row(c.flowId)).pollingAttempts).toBe(6);
  });

  it('takes over a launch whose claimer died before the call, once its lease has run out and no job carries its marker', async () => {
    h.awx.jobTemplate(17, { statuses: ['successful'] });
    const config = h.config({ HANDLER_LEASE_MS: '1000', AWX_CONNECT_TIMEOUT_MS: '50', AWX_REQUEST_TIMEOUT_MS: '190',
      OO_CONNECT_TIMEOUT_MS: '50', OO_REQUEST_TIMEOUT_MS: '190' });
    const c = command({ type: 'awx', jobTemplateId: 17 });
    await h.dispatch(config, c);
    // An instance claims the launch and dies before making the call.
    const claimed = await new JobClaimer(h.repo, config).claim(new Date());
    expect(claimed.map((j) => [j.row.flowId, j.action])).toEqual([[c.flowId, 'launch']]);
    const leased = await h.row(c.flowId);
    expect(leased).toMatchObject({ status: 'LAUNCHING', launchAttempts: 1 });

    h.startRunner(config);
    await new Promise((r) => setTimeout(r, 150));
    expect(h.awx.requestsTo('POST', /job_templates\/17\/launch/)).toHaveLength(0);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    const [launch] = h.awx.requestsTo('POST', /job_templates\/17\/launch/);
    expect(h.awx.requestsTo('POST', /job_templates\/17\/launch/)).toHaveLength(1);
    // The dead claimer may have launched a job: it was looked for (and none found) before launching.
    const lookups = h.awx.requestsTo('GET', /job_templates\/17\/(slice_workflow_jobs|jobs)\//);
    expect(lookups).toHaveLength(2);
    expect(lookups.every((r) => r.at <= launch.at)).toBe(true);
    expect(await h.row(c.flowId)).toMatchObject({ launchAttempts: 2, status: 'SUCCEEDED' });
  });

  it('never launches or reports a job twice with two runners', async () => {
    h.awx.jobTemplate(8, { statuses: ['running', 'successful'] });
    const config = h.config({ HANDLER_BATCH_SIZE: '3' });
    const commands = Array.from({ length: 12 }, () => command({ type: 'awx', jobTemplateId: 8 }));
    for (const c of commands) await h.dispatch(config, c);
    h.startRunner(config);
    h.startRunner(h.config({ HANDLER_BATCH_SIZE: '3' }));
    for (const c of commands) await h.reported(c.flowId);
    await new Promise((r) => setTimeout(r, 200));
    const launched = h.awx.launches().filter((j) => j.templateId === 8).map((j) => j.extraVars.baton_command_id);
    expect(launched).toHaveLength(12);
    expect(new Set(launched).size).toBe(12);
    for (const c of commands) {
      expect(h.sink.for(c.flowId)).toHaveLength(1);
      const jobId = (await h.row(c.flowId)).externalJobId;
      expect(h.awx.requestsTo('GET', new RegExp(`/jobs/${jobId}/$`))).toHaveLength(2);
    }
  });

  it('keeps one row when the same command is dispatched twice', async () => {
    h.awx.jobTemplate(9, { statuses: ['successful'] });
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 9 });
    await h.dispatch(config, c);
    await h.dispatch(config, c);
    expect(await h.rows(c.flowId)).toHaveLength(1);
  });

  it('fails the step through the result path for an unknown connection or a bad reference', async () => {
    const config = h.config();
    const unknown = command({ type: 'awx', connection: 'prod', jobTemplateId: 1 });
    const badRef = command({ type: 'oo', flowUuid: FLOW, inputs: { host: '${payload.hostname}' } });
    expect(await h.dispatch(config, unknown)).toBe('awx:prod');
    await h.dispatch(config, badRef);
    h.startRunner(config);
    expect(await h.reported(unknown.flowId)).toMatchObject({ status: 'FAILED', error: "AWX connection 'prod' is not configured (configured: default)" });
    expect(await h.reported(badRef.flowId)).toMatchObject({
      status: 'FAILED', error: "inputs.host: ${payload.hostname}: payload has no field 'hostname' (it is an object)",
    });
  });

  it('runs an OO flow with inputs and runName, to COMPLETED/RESOLVED', async () => {
    h.oo.flow(FLOW, { idFormat: 'string', emptySummaries: 1 });
    const config = h.config();
    const c = command({ type: 'oo', flowUuid: FLOW, inputs: { mail: '${payload.email}', size: '${payload.size}' }, runName: 'provision ${payload.email}' });
    expect(await h.dispatch(config, c)).toBe('oo:default');
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS', output: { status: 'COMPLETED', resultStatusType: 'RESOLVED' } });
    const execution = h.oo.launches().find((e) => e.runName.includes(c.commandId))!;
    expect(execution.inputs).toEqual({ mail: 'ops@example.com', size: '2' });
    expect(execution.runName).toBe(`provision ops@example.com [baton flow=${c.flowId} step=provision command=${c.commandId}]`);
    expect(await h.row(c.flowId)).toMatchObject({ targetType: 'OO', resourceType: 'flow', resourceId: FLOW, externalJobType: 'execution', externalJobId: execution.id });
  });

  it('fails OO COMPLETED/ERROR unless the step accepts ERROR', async () => {
    const flow = '7a1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f';
    h.oo.flow(flow, { states: [{ status: 'COMPLETED', resultStatusType: 'ERROR' }] });
    const config = h.config();
    const strict = command({ type: 'oo', flowUuid: flow });
    const lenient = command({ type: 'oo', flowUuid: flow, successResultTypes: ['RESOLVED', 'ERROR'] });
    await h.dispatch(config, strict);
    await h.dispatch(config, lenient);
    h.startRunner(config);
    const failed = await h.reported(strict.flowId);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/^OO execution \d+ failed: status COMPLETED with result ERROR \(success: RESOLVED\)$/);
    expect(await h.reported(lenient.flowId)).toMatchObject({ status: 'SUCCESS' });
  });

  it('retries handing a result to the engine until it accepts it', async () => {
    h.awx.jobTemplate(16, { statuses: ['successful'] });
    h.sink.failuresLeft = 2;
    const config = h.config();
    const c = command({ type: 'awx', jobTemplateId: 16 });
    await h.dispatch(config, c);
    h.startRunner(config);
    expect(await h.reported(c.flowId)).toMatchObject({ status: 'SUCCESS' });
    expect(await eventually(async () => (await h.row(c.flowId)).reportedAt)).toBeInstanceOf(Date);
    expect(h.sink.for(c.flowId)).toHaveLength(1);
  });
});
