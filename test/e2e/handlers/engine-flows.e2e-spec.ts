import { FakeAwxServer } from '../../fakes/fake-awx.server';
import { FakeOoServer } from '../../fakes/fake-oo.server';
import type { TestApp } from '../../helpers/test-app';
import { TestWorker } from '../../helpers/test-worker';
import { expectEventually } from '../../helpers/expect-eventually';
import { waitForRun } from '../../helpers/runs';
import {
  expectNoCredentials, handlerEnv, JOB_EXECUTION_KEYS, jobsOf, registerTemplate, runToEnd, startEngineApp, startRun,
  StepDoc, timeline,
} from './support/engine-app';
import { OpenApiDocument, responseSchema, shapeProblems } from './support/openapi-shape';

const CONFIGURE_FLOW = '3f2a9c1e-7b4d-4e8a-9c61-2d5b8e0f4a17';
const FAILING_FLOW = '9d4e2b7a-1c3f-4a5e-8b6d-7f0a1c2e3b4d';
const CLEANUP_FLOW = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
const APPROVAL_FLOW = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

/** worker step → AWX job template → OO flow that uses the AWX job's output. */
function provisioningSteps(ooFlow: string, awxUndo: StepDoc['undo']): StepDoc[] {
  return [
    { seq: 1, name: 'reserveIp' },
    {
      seq: 2, name: 'provisionVm',
      handler: { type: 'awx', jobTemplateId: 7, extraVars: { owner: '${payload.owner}', size: '${payload.size}', reservedBy: '${steps.reserveIp.output.by}' } },
      ...(awxUndo === undefined ? {} : { undo: awxUndo }),
    },
    {
      seq: 3, name: 'configureVm',
      handler: {
        type: 'oo', flowUuid: ooFlow,
        inputs: {
          vmId: '${steps.provisionVm.output.artifacts.vm_id}', awxJob: '${steps.provisionVm.output.jobId}',
          summary: 'vm ${steps.provisionVm.output.artifacts.vm_id} for ${payload.owner}',
        },
      },
    },
  ];
}

/** The AWX job template of a run that never ends: its polls are the job runner's heartbeat (pollingWitness). */
const WITNESS_TEMPLATE = 40;

const DESTROY_UNDO = { type: 'awx', jobTemplateId: 8, extraVars: { vm_id: '${steps.provisionVm.output.artifacts.vm_id}', reason: 'undo of ${flowId}' } };

describe('built-in handlers through the whole engine: mixed templates, compensation, connections', () => {
  let t: TestApp;
  let worker: TestWorker;
  const awx = new FakeAwxServer();
  const lab = new FakeAwxServer({ prefix: '/api/controller/v2', username: 'lab-admin', password: 'lab-secret-pw', token: undefined });
  const oo = new FakeOoServer();
  let hosts: string[] = [];

  /**
   * A run of its own whose AWX job never ends, polled all along. Once it was polled `n` more
   * times, the job runner has made its passes (each claims whatever launch or poll is due) for
   * at least n poll intervals: proof that a launch or a poll that did not come was not merely late.
   */
  async function pollingWitness(): Promise<{ polledMore(n: number): Promise<void>; end(): Promise<void> }> {
    const flowId = await startRun(t, 'pollingWitness');
    const job = await expectEventually(() => {
      const launched = awx.launches().find((j) => j.extraVars.baton_flow_id === flowId);
      expect(launched?.polls).toBeGreaterThan(0);
      return launched!;
    }, { timeoutMs: 10_000 });
    return {
      polledMore: async (n) => {
        const from = job.polls;
        await expectEventually(() => expect(job.polls).toBeGreaterThanOrEqual(from + n), { timeoutMs: 10_000 });
      },
      end: async () => {
        await t.http.post(`/api/orchestration/runs/${flowId}/terminate?compensate=false`).send({}).expect(202);
        await waitForRun(t, flowId, 'TERMINATED');
      },
    };
  }

  beforeAll(async () => {
    await Promise.all([awx.start(), lab.start(), oo.start()]);
    hosts = [awx.url, lab.url, oo.url].map((u) => new URL(u).host);
    awx.jobTemplate(7, { statuses: ['pending', 'running', 'successful'], artifacts: { vm_id: 'vm-42', ip: '10.0.0.7' } })
      .jobTemplate(8, { statuses: ['running', 'successful'] })
      .jobTemplate(9, { statuses: ['successful'], perLaunch: [{ statuses: ['running', 'failed'], jobExplanation: 'Host vm-9 unreachable' }] })
      .jobTemplate(WITNESS_TEMPLATE, { statuses: ['running'] });
    lab.jobTemplate(31, { statuses: ['running', 'successful'], artifacts: { lab: true } });
    oo.flow(CONFIGURE_FLOW)
      .flow(FAILING_FLOW, { states: [{ status: 'RUNNING' }, { status: 'COMPLETED', resultStatusType: 'ERROR' }] })
      .flow(CLEANUP_FLOW, { states: [{ status: 'COMPLETED', resultStatusType: 'RESOLVED' }] })
      .flow(APPROVAL_FLOW, { states: [{ status: 'RUNNING' }, { status: 'PAUSED' }] });
    t = await startEngineApp(handlerEnv(awx, oo, {
      AWX_CONNECTIONS: 'lab,slow', AWX_LAB_HOST: lab.url, AWX_LAB_API_PREFIX: '/api/controller/v2',
      AWX_LAB_USERNAME: 'lab-admin', AWX_LAB_PASSWORD: 'lab-secret-pw',
      AWX_LAB_CONNECT_TIMEOUT_MS: '250', AWX_LAB_REQUEST_TIMEOUT_MS: '900',
      // The default AWX behind a connection that waits for an answer the fake holds back (until the
      // test releases it); a claim's lease must outlast its exchanges.
      AWX_SLOW_HOST: awx.url, AWX_SLOW_TOKEN: 'awx-secret-token', AWX_SLOW_CONNECT_TIMEOUT_MS: '250', AWX_SLOW_REQUEST_TIMEOUT_MS: '20000',
      HANDLER_LEASE_MS: '90000',
    }));
    worker = await new TestWorker(t, 'ipam').start();
    await registerTemplate(t, 'vmProvisioning', provisioningSteps(CONFIGURE_FLOW, DESTROY_UNDO));
    await registerTemplate(t, 'vmBadConfig', provisioningSteps(FAILING_FLOW, DESTROY_UNDO));
    await registerTemplate(t, 'vmBadConfigNoUndo', provisioningSteps(FAILING_FLOW, undefined));
    await registerTemplate(t, 'pollingWitness', [{ seq: 1, name: 'follow', handler: { type: 'awx', jobTemplateId: WITNESS_TEMPLATE } }]);
    for (const orchName of ['vmProvisioning', 'vmBadConfig', 'vmBadConfigNoUndo']) await worker.register(orchName, ['reserveIp']);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([awx.stop(), lab.stop(), oo.stop()]);
  });

  it('runs worker, AWX and OO steps in order, passing the AWX output to the OO inputs', async () => {
    const run = await runToEnd(t, 'vmProvisioning', { owner: 'ops@example.com', size: 2 }, 'COMPLETED');
    const flowId = run.flowId;
    expect(timeline(run)).toEqual(['DO:reserveIp:SUCCEEDED', 'DO:provisionVm:SUCCEEDED', 'DO:configureVm:SUCCEEDED']);
    expect(run.steps.map((s) => [s.handlerType, s.target]))
      .toEqual([['worker', expect.stringContaining('ipam')], ['awx', 'awx:default'], ['oo', 'oo:default']]);
    expect(worker.commandsFor(flowId)).toEqual(['DO:reserveIp']);

    const job = awx.launches().find((j) => j.extraVars.baton_flow_id === flowId)!;
    expect(job.extraVars).toEqual({
      owner: 'ops@example.com', size: 2, reservedBy: 'ipam',
      baton_flow_id: flowId, baton_step: 'provisionVm', baton_command_id: run.steps[1].commandId,
    });
    expect(run.steps[1].output).toMatchObject({ jobId: String(job.id), jobType: 'job', status: 'successful', artifacts: { vm_id: 'vm-42', ip: '10.0.0.7' } });

    // What OO received: the AWX job's artifacts and id, interpolated into string inputs.
    const execution = oo.launches().find((e) => e.runName.includes(`flow=${flowId}`))!;
    expect(execution.inputs).toEqual({ vmId: 'vm-42', awxJob: String(job.id), summary: 'vm vm-42 for ops@example.com' });
    expect(execution.runName).toBe(`vmProvisioning/configureVm [baton flow=${flowId} step=configureVm command=${run.steps[2].commandId}]`);
    expect(run.steps[2].output).toMatchObject({ jobId: execution.id, jobType: 'execution', status: 'COMPLETED', resultStatusType: 'RESOLVED' });
    expect(awx.requests.every((r) => r.authScheme === 'Bearer')).toBe(true);
    expect(oo.requests.every((r) => r.authScheme === 'Basic')).toBe(true);
    expectNoCredentials(run, hosts);
  });

  it('serves the job executions of the run in the documented shapes, without credentials', async () => {
    const run = await runToEnd(t, 'vmProvisioning', { owner: 'dev@example.com', size: 1 }, 'COMPLETED');
    const flowId = run.flowId;
    const jobs = await jobsOf(t, flowId);
    expect(jobs.map((j) => [j.stepName, j.action, j.targetType, j.status])).toEqual([
      ['provisionVm', 'DO', 'AWX', 'SUCCEEDED'], ['configureVm', 'DO', 'OO', 'SUCCEEDED']]);
    for (const j of jobs) expect(Object.keys(j).sort()).toEqual(JOB_EXECUTION_KEYS);
    const [awxJob, ooJob] = jobs;
    expect(awxJob).toMatchObject({
      requestId: flowId, flowId, attempt: 1, commandId: run.steps[1].commandId, correlationId: run.correlationId,
      resourceType: 'job_template', resourceId: '7', connection: 'default', externalJobType: 'job',
      externalStatus: 'successful', externalResult: null, launchAttempts: 1, pollingAttempts: 3,
      nextLaunchAt: null, lastLaunchError: null, nextPollAt: null, cancelRequestedAt: null, error: null,
      requestPayload: { extra_vars: { owner: 'dev@example.com', size: 1, reservedBy: 'ipam', baton_flow_id: flowId } },
      responsePayload: { status: 'successful', artifacts: { vm_id: 'vm-42', ip: '10.0.0.7' } },
    });
    expect(ooJob).toMatchObject({
      requestId: flowId, stepName: 'configureVm', resourceType: 'flow', resourceId: CONFIGURE_FLOW, connection: 'default',
      externalJobType: 'execution', externalStatus: 'COMPLETED', externalResult: 'RESOLVED', launchAttempts: 1,
      requestPayload: { flowUuid: CONFIGURE_FLOW, inputs: { vmId: 'vm-42' } },
      responsePayload: { status: 'COMPLETED', resultStatusType: 'RESOLVED', flowUuid: CONFIGURE_FLOW },
    });
    for (const j of jobs) {
      for (const key of ['createdAt', 'sentAt', 'completedAt', 'lastPolledAt', 'reportedAt', 'updatedAt'] as const) {
        expect(j[key]).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
      }
    }
    expect(Date.parse(String(awxJob.completedAt))).toBeLessThanOrEqual(Date.parse(String(ooJob.createdAt)));

    const one = await t.http.get(`/api/job-executions/${ooJob.id}`).expect(200);
    expect(one.body).toEqual(ooJob);
    const page = await t.http.get('/api/job-executions?pageSize=2').expect(200);
    expect(Object.keys(page.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    expect(page.body).toMatchObject({ page: 1, pageSize: 2 });
    expect(page.body.total).toBeGreaterThanOrEqual(4);
    // Newest first: this run's OO job, then its AWX job.
    expect(page.body.items.map((j: { id: string }) => j.id)).toEqual([ooJob.id, awxJob.id]);
    const ooOnly = await t.http.get('/api/job-executions?targetType=OO&status=SUCCEEDED&pageSize=200').expect(200);
    expect(ooOnly.body.items.every((j: { targetType: string; status: string }) => j.targetType === 'OO' && j.status === 'SUCCEEDED')).toBe(true);
    expect(ooOnly.body.items.map((j: { id: string }) => j.id)).toContain(ooJob.id);
    expect((await t.http.get('/api/job-executions/0b6e1c3a-1d2e-4f5a-8b7c-9d0e1f2a3b4c').expect(404)).body.code).toBe('JOB_EXECUTION_NOT_FOUND');

    for (const body of [jobs, one.body, page.body, ooOnly.body]) expectNoCredentials(body, hosts);

    // Each body matches what the served OpenAPI document says of its endpoint.
    const doc = (await t.http.get('/v3/api-docs').expect(200)).body as OpenApiDocument;
    expect(shapeProblems(doc, responseSchema(doc, '/api/job-executions/request/{flowId}'), jobs)).toEqual([]);
    expect(shapeProblems(doc, responseSchema(doc, '/api/job-executions/{id}'), one.body)).toEqual([]);
    expect(shapeProblems(doc, responseSchema(doc, '/api/job-executions'), page.body)).toEqual([]);
    expect(shapeProblems(doc, responseSchema(doc, '/api/job-executions'), ooOnly.body)).toEqual([]);
  });

  it('compensates the AWX step with its undo template when the OO step fails', async () => {
    const run = await runToEnd(t, 'vmBadConfig', { owner: 'ops@example.com', size: 4 }, 'FAILED');
    const flowId = run.flowId;
    expect(timeline(run)).toEqual([
      'DO:reserveIp:SUCCEEDED', 'DO:provisionVm:SUCCEEDED', 'DO:configureVm:FAILED',
      'UNDO:provisionVm:SUCCEEDED', 'UNDO:reserveIp:SUCCEEDED',
    ]);
    expect(run).toMatchObject({ failedStep: 'configureVm', error: expect.stringMatching(/^OO execution \d+ failed: status COMPLETED with result ERROR/) });
    expect(worker.commandsFor(flowId)).toEqual(['DO:reserveIp', 'UNDO:reserveIp']);

    const undoCommand = run.steps[3].commandId;
    const undoLaunches = awx.requestsTo('POST', /^\/api\/v2\/job_templates\/8\/launch\/$/)
      .filter((r) => (r.body as { extra_vars: Record<string, unknown> }).extra_vars.baton_flow_id === flowId);
    expect(undoLaunches).toHaveLength(1);
    expect(undoLaunches[0].body).toEqual({ extra_vars: {
      vm_id: 'vm-42', reason: `undo of ${flowId}`, baton_flow_id: flowId, baton_step: 'provisionVm', baton_command_id: undoCommand,
    } });
    // The DO's job had finished: nothing to cancel.
    const doJob = awx.launches().find((j) => j.extraVars.baton_flow_id === flowId && j.templateId === 7)!;
    expect(awx.requestsTo('POST', new RegExp(`/jobs/${doJob.id}/cancel/`))).toHaveLength(0);

    const jobs = await jobsOf(t, flowId);
    expect(jobs.map((j) => `${j.action}:${j.stepName}:${j.targetType}:${j.resourceId}:${j.status}`)).toEqual([
      'DO:provisionVm:AWX:7:SUCCEEDED', `DO:configureVm:OO:${FAILING_FLOW}:FAILED`, 'UNDO:provisionVm:AWX:8:SUCCEEDED']);
    expect(jobs[2]).toMatchObject({ externalStatus: 'successful', commandId: undoCommand });
    expect(run.steps[3].output).toMatchObject({
      status: 'successful', cancelledJob: { jobId: String(doJob.id), status: 'SUCCEEDED', externalStatus: 'successful', cancelRequested: false },
    });
    expectNoCredentials([run, jobs], hosts);
  });

  it('skips the undo of an AWX step that declares none, and the run ends FAILED', async () => {
    const run = await runToEnd(t, 'vmBadConfigNoUndo', { owner: 'ops@example.com', size: 4 }, 'FAILED');
    const flowId = run.flowId;
    expect(timeline(run)).toEqual([
      'DO:reserveIp:SUCCEEDED', 'DO:provisionVm:SUCCEEDED', 'DO:configureVm:FAILED', 'UNDO:reserveIp:SUCCEEDED']);
    expect(run.failedStep).toBe('configureVm');
    const jobs = await jobsOf(t, flowId);
    expect(jobs.map((j) => `${j.action}:${j.stepName}`)).toEqual(['DO:provisionVm', 'DO:configureVm']);
    const launchedForFlow = awx.launches().filter((j) => j.extraVars.baton_flow_id === flowId);
    expect(launchedForFlow.map((j) => j.templateId)).toEqual([7]);
    expect(awx.requestsTo('POST', new RegExp(`/jobs/${launchedForFlow[0].id}/cancel/`))).toHaveLength(0);
  });

  it('undoes a completed run on request: the AWX undo template runs, the OO step without undo is skipped', async () => {
    const run = await runToEnd(t, 'vmProvisioning', { owner: 'ops@example.com', size: 2 }, 'COMPLETED');
    await t.http.post(`/api/orchestration/undo/${run.flowId}`).expect(202);
    const undone = await waitForRun(t, run.flowId, 'UNDONE', 15_000);
    expect(timeline(undone).slice(3)).toEqual(['UNDO:provisionVm:SUCCEEDED', 'UNDO:reserveIp:SUCCEEDED']);
    expect(undone.steps[3].target).toBe('awx:default');
    const undoJob = awx.launches().find((j) => j.extraVars.baton_flow_id === run.flowId && j.templateId === 8)!;
    expect(undoJob.extraVars).toMatchObject({ vm_id: 'vm-42', reason: `undo of ${run.flowId}`, baton_command_id: undone.steps[3].commandId });
    expect(worker.commandsFor(run.flowId)).toEqual(['DO:reserveIp', 'UNDO:reserveIp']);
    expect((await jobsOf(t, run.flowId)).map((j) => `${j.action}:${j.stepName}:${j.status}`))
      .toEqual(['DO:provisionVm:SUCCEEDED', 'DO:configureVm:SUCCEEDED', 'UNDO:provisionVm:SUCCEEDED']);
  });

  it('retries a built-in step whose job failed, per its retry policy, with a new launch per attempt', async () => {
    await registerTemplate(t, 'retriedJob', [{
      seq: 1, name: 'provision', handler: { type: 'awx', jobTemplateId: 9 },
      retry: { maxAttempts: 2, backoff: 'fixed', initialDelaySeconds: 0 },
    }]);
    const run = await runToEnd(t, 'retriedJob', {}, 'COMPLETED');
    expect(timeline(run)).toEqual(['DO:provision:FAILED', 'DO:provision:SUCCEEDED']);
    const launched = awx.launches().filter((j) => j.extraVars.baton_flow_id === run.flowId);
    expect(launched.map((j) => j.status)).toEqual(['failed', 'successful']);
    expect(run.steps[0].error).toBe(`AWX job ${launched[0].id} failed: status failed: Host vm-9 unreachable`);
    const jobs = await jobsOf(t, run.flowId);
    expect(jobs.map((j) => [j.attempt, j.status, j.externalJobId, j.commandId])).toEqual([
      [1, 'FAILED', String(launched[0].id), run.steps[0].commandId], [2, 'SUCCEEDED', String(launched[1].id), run.steps[1].commandId]]);
  });

  it('terminating a run voids its built-in step\'s retry waiting out its backoff: that job is never launched', async () => {
    awx.jobTemplate(19, { statuses: ['successful'], perLaunch: [{ statuses: ['failed'], jobExplanation: 'quota exceeded' }] });
    await registerTemplate(t, 'slowRetryJob', [{
      seq: 1, name: 'provision', handler: { type: 'awx', jobTemplateId: 19 },
      retry: { maxAttempts: 2, backoff: 'fixed', initialDelaySeconds: 4 },
    }]);
    const flowId = await startRun(t, 'slowRetryJob');
    const waiting = await expectEventually(async () => {
      const r = (await t.http.get(`/api/orchestration/runs/${flowId}`)).body;
      expect(timeline(r)).toEqual(['DO:provision:FAILED', 'DO:provision:DISPATCHED']);
      return r;
    });
    await t.http.post(`/api/orchestration/runs/${flowId}/terminate?compensate=false`).send({}).expect(202);
    const run = await waitForRun(t, flowId, 'TERMINATED');
    expect(timeline(run)).toEqual(['DO:provision:FAILED', 'DO:provision:VOIDED']);
    // Past the retry's due time (a time on the clock: no event marks it), then passes of the job runner after it.
    const witness = await pollingWitness();
    const dueAt = Date.parse(waiting.steps[1].dispatchedAt);
    await expectEventually(() => expect(Date.now()).toBeGreaterThan(dueAt), { timeoutMs: 10_000, intervalMs: 100 });
    await witness.polledMore(3);
    await witness.end();
    expect(awx.launches().filter((j) => j.extraVars.baton_flow_id === flowId)).toHaveLength(1);
    const jobs = await jobsOf(t, flowId);
    expect(jobs.map((j) => [j.attempt, j.status, j.launchAttempts, j.error])).toEqual([
      [1, 'FAILED', 1, expect.stringContaining('quota exceeded')],
      [2, 'FAILED', 0, 'not sent: the run was TERMINATED before it was due']]);
  });

  it('terminating a run without compensation leaves its built-in step\'s job alone: no longer polled, never cancelled', async () => {
    awx.jobTemplate(21, { statuses: ['pending', 'running'] });
    await registerTemplate(t, 'endlessJob', [{ seq: 1, name: 'provision', handler: { type: 'awx', jobTemplateId: 21 } }]);
    const flowId = await startRun(t, 'endlessJob');
    const witness = await pollingWitness();
    const job = await expectEventually(() => {
      const launched = awx.launches().find((j) => j.extraVars.baton_flow_id === flowId);
      expect(launched?.polls).toBeGreaterThan(1);
      return launched!;
    }, { timeoutMs: 10_000 });
    await t.http.post(`/api/orchestration/runs/${flowId}/terminate?compensate=false`).send({}).expect(202);
    const run = await waitForRun(t, flowId, 'TERMINATED');
    expect(timeline(run)).toEqual(['DO:provision:ABANDONED']);
    const polled = job.polls;
    // Meanwhile another run's job is polled ten more times: a poll of this one already under way
    // may end, no other starts, and nothing cancels the job.
    await witness.polledMore(10);
    await witness.end();
    expect([job.polls - polled <= 1, job.cancelRequested, job.status]).toEqual([true, false, 'running']);
    const [row] = await jobsOf(t, flowId);
    expect([row.status, row.executionStatus, row.errorMessage]).toEqual(['FAILED', 3,
      'abandoned: the run was terminated without compensation while this job was in flight; it is no longer followed, and was not cancelled']);
  });

  it('records the job a launch under way started when its run is terminated without compensation, and leaves it alone', async () => {
    let release!: () => void;
    awx.jobTemplate(22, { statuses: ['running'], answerHeldUntil: new Promise<void>((resolve) => (release = resolve)) });
    await registerTemplate(t, 'slowLaunch', [{ seq: 1, name: 'provision', handler: { type: 'awx', connection: 'slow', jobTemplateId: 22 } }]);
    const flowId = await startRun(t, 'slowLaunch');
    const witness = await pollingWitness();
    // AWX made the job and holds back its answer: the run is terminated while the launch is under way.
    const job = await expectEventually(() => {
      const launched = awx.launches().find((j) => j.extraVars.baton_flow_id === flowId);
      expect(launched).toBeDefined();
      return launched!;
    }, { timeoutMs: 10_000 });
    await t.http.post(`/api/orchestration/runs/${flowId}/terminate?compensate=false`).send({}).expect(202);
    const run = await waitForRun(t, flowId, 'TERMINATED');
    expect(timeline(run)).toEqual(['DO:provision:ABANDONED']);
    const [abandoned] = await jobsOf(t, flowId);
    expect([abandoned.status, abandoned.externalJobId, abandoned.error]).toEqual(['FAILED', null,
      expect.stringContaining('(a launch was under way: a job it started is recorded here if its answer comes, and is not followed)')]);
    release();
    const recorded = await expectEventually(async () => {
      const [row] = await jobsOf(t, flowId);
      expect(row.externalJobId).toBe(String(job.id));
      return row;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect([recorded.status, recorded.externalJobType, recorded.executionStatus, recorded.reportedAt, recorded.error]).toEqual(['FAILED', 'job', 3,
      abandoned.reportedAt, 'abandoned: the run was terminated without compensation while this job was in flight; it is no longer followed '
      + `(a launch was under way; its answer came after, naming AWX job ${job.id}, which is not followed)`]);
    // Never polled nor cancelled, while another run's job is polled ten more times: the operator chose to leave it running.
    await witness.polledMore(10);
    await witness.end();
    expect([job.polls, job.cancelRequested]).toEqual([0, false]);
    const after = await t.http.get(`/api/orchestration/runs/${flowId}`).expect(200);
    expect([after.body.status, timeline(after.body)]).toEqual(['TERMINATED', ['DO:provision:ABANDONED']]);
  });

  it('makes a template whose steps are all built-in READY at registration, and runs it without any worker', async () => {
    const registered = await registerTemplate(t, 'allBuiltIn', [
      { seq: 1, name: 'provision', handler: { type: 'awx', jobTemplateId: 8 } },
      { seq: 2, name: 'cleanup', handler: { type: 'oo', flowUuid: CLEANUP_FLOW, inputs: { job: '${steps.provision.output.jobId}' } } },
    ]);
    expect(registered).toMatchObject({ outcome: 'CREATED', status: 'READY', missingSteps: [] });
    const template = await t.http.get('/api/orchestration/templates/allBuiltIn').expect(200);
    expect(template.body).toMatchObject({ status: 'READY', missingSteps: [] });
    const workers = await t.http.get('/api/orchestration/workers?orchName=allBuiltIn').expect(200);
    expect(workers.body.items).toEqual([]);

    const res = await t.http.post('/api/orchestration/execute/allBuiltIn').send({}).expect(202);
    expect(res.body).toMatchObject({ status: 'RUNNING', missingSteps: [] });
    const run = await waitForRun(t, res.body.flowId, 'COMPLETED', 15_000);
    expect(timeline(run)).toEqual(['DO:provision:SUCCEEDED', 'DO:cleanup:SUCCEEDED']);
  });

  it('shows a run whose OO flow is PAUSED as waiting for an operator, not failed', async () => {
    await registerTemplate(t, 'approval', [{ seq: 1, name: 'approve', handler: { type: 'oo', flowUuid: APPROVAL_FLOW } }]);
    const flowId = await startRun(t, 'approval');
    await expectEventually(async () => {
      const stuck = await t.http.get('/api/orchestration/runs?stuck=true&orchName=approval').expect(200);
      expect(stuck.body.items[0]).toMatchObject({ flowId, status: 'RUNNING', waitingFor: expect.stringMatching(/waiting for an operator: the job is PAUSED/) });
    }, { timeoutMs: 10_000 });
  });

  it('sends a step with `connection: lab` to the AWX configured by AWX_CONNECTIONS=lab and AWX_LAB_HOST', async () => {
    await registerTemplate(t, 'labProvisioning', [
      { seq: 1, name: 'labJob', handler: { type: 'awx', connection: 'lab', jobTemplateId: 31, extraVars: { env: 'lab' } } },
      { seq: 2, name: 'defaultJob', handler: { type: 'awx', jobTemplateId: 8 } },
    ]);
    const flowId = await startRun(t, 'labProvisioning');
    const run = await waitForRun(t, flowId, 'COMPLETED', 15_000);
    expect(run.steps.map((s) => [s.stepName, s.target]))
      .toEqual([['labJob', 'awx:lab'], ['defaultJob', 'awx:default']]);
    expect(run.steps[0].output).toMatchObject({ status: 'successful', artifacts: { lab: true } });

    const labLaunches = lab.requestsTo('POST', /launch/);
    expect(labLaunches.map((r) => [r.path, r.authScheme])).toEqual([['/api/controller/v2/job_templates/31/launch/', 'Basic']]);
    expect((labLaunches[0].body as { extra_vars: Record<string, unknown> }).extra_vars).toMatchObject({ env: 'lab', baton_flow_id: flowId });
    expect(lab.requests.filter((r) => r.method === 'GET').every((r) => r.path.startsWith('/api/controller/v2/jobs/'))).toBe(true);
    // The default AWX only saw the second step.
    expect(awx.launches().filter((j) => j.extraVars.baton_flow_id === flowId).map((j) => j.templateId)).toEqual([8]);
    expect((await jobsOf(t, flowId)).map((j) => [j.stepName, j.connection])).toEqual([['labJob', 'lab'], ['defaultJob', 'default']]);
  });

  it('fails a step naming a connection that is not configured, with the configured ones in the message', async () => {
    await registerTemplate(t, 'unknownConnection', [{ seq: 1, name: 'prodJob', handler: { type: 'awx', connection: 'prod', jobTemplateId: 7 } }]);
    const run = await runToEnd(t, 'unknownConnection', {}, 'FAILED');
    expect(run).toMatchObject({ failedStep: 'prodJob', error: "AWX connection 'prod' is not configured (configured: default, lab, slow)" });
    expect(awx.launches().filter((j) => j.extraVars.baton_flow_id === run.flowId)).toHaveLength(0);
  });
});
