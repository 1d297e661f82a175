import { command, eventually } from './support/job-fixtures';
import { RunnerHarness } from './support/runner-harness';

describe('JobRunner: UNDO of built-in steps (cancel the DO job, then run the undo template)', () => {
  const h = RunnerHarness.install();

  it('shows a PAUSED OO flow as waiting for an operator; its UNDO cancels it', async () => {
    const flow = '8b1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f';
    h.oo.flow(flow, { states: [{ status: 'RUNNING' }, { status: 'PAUSED' }] });
    const config = h.config({ HANDLER_JOB_MAX_POLLS: '5' });
    const doSpec = { type: 'oo', flowUuid: flow };
    const c = command(doSpec);
    await h.dispatch(config, c);
    h.startRunner(config);
    const waiting = await eventually(async () => { const r = await h.row(c.flowId); return r.status === 'WAITING_FOR_OPERATOR' && r.pollingAttempts === 1 ? r : undefined; });
    // Polls while PAUSED do not count towards the poll limit: OO is read past that limit (5), and the job still waits.
    const execution = h.oo.execution(waiting.externalJobId!)!;
    const readsThen = execution.reads;
    await eventually(() => execution.reads >= readsThen + 6, 10_000, 'six more polls of the PAUSED flow');
    expect(await h.row(c.flowId)).toMatchObject({ status: 'WAITING_FOR_OPERATOR', externalStatus: 'PAUSED', pollingAttempts: 1 });
    expect(h.sink.for(c.flowId)).toHaveLength(0);

    const undo = command({ type: 'oo', do: doSpec, undo: false }, { flowId: c.flowId, action: 'UNDO' });
    await h.dispatch(config, undo);
    expect(await h.reported(c.flowId, 'UNDO')).toMatchObject({
      status: 'SUCCESS', output: { cancelledJob: { jobId: waiting.externalJobId, status: 'FAILED', externalStatus: 'CANCELED', cancelRequested: true } },
    });
    expect(await h.reported(c.flowId, 'DO')).toMatchObject({ status: 'FAILED' });
    expect(h.sink.for(c.flowId, 'DO')[0].error).toContain('status CANCELED');
    expect(h.oo.requestsTo('PUT', new RegExp(`/executions/${waiting.externalJobId}/status`))[0].body).toEqual({ action: 'CANCEL' });
  });

  it('UNDO cancels an active AWX job, then runs the undo template', async () => {
    h.awx.jobTemplate(10, { statuses: ['running'] }).jobTemplate(11, { statuses: ['successful'] });
    const config = h.config();
    const doSpec = { type: 'awx', jobTemplateId: 10 };
    const c = command(doSpec);
    await h.dispatch(config, c);
    h.startRunner(config);
    const active = await eventually(async () => { const r = await h.row(c.flowId); return r.status === 'RUNNING' && r.pollingAttempts >= 1 ? r : undefined; });

    const undo = command({ type: 'awx', do: doSpec, undo: { type: 'awx', jobTemplateId: 11, extraVars: { vm: '${payload.email}' } } },
      { flowId: c.flowId, action: 'UNDO', attempt: 1 });
    expect(await h.dispatch(config, undo)).toBe('awx:default');
    const result = await h.reported(c.flowId, 'UNDO');
    expect(result).toMatchObject({
      status: 'SUCCESS', commandId: undo.commandId,
      output: { status: 'successful', cancelledJob: { jobId: active.externalJobId, status: 'FAILED', externalStatus: 'canceled', cancelRequested: true } },
    });
    expect(await h.reported(c.flowId, 'DO')).toMatchObject({ status: 'FAILED' });
    expect(h.sink.for(c.flowId, 'DO')[0].error).toContain('(cancel requested by the UNDO)');
    const cancelAt = h.awx.requests.findIndex((r) => r.method === 'POST' && r.path === `/api/v2/jobs/${active.externalJobId}/cancel/`);
    const undoLaunchAt = h.awx.requests.findIndex((r) => r.method === 'POST' && r.path === '/api/v2/job_templates/11/launch/'
      && (r.body as { extra_vars: Record<string, unknown> }).extra_vars.baton_command_id === undo.commandId);
    expect(cancelAt).toBeGreaterThanOrEqual(0);
    expect(undoLaunchAt).toBeGreaterThan(cancelAt);
    expect(h.awx.job(h.awx.launches().find((j) => j.extraVars.baton_command_id === undo.commandId)!.id)?.extraVars.vm).toBe('ops@example.com');
  });

  it('UNDO of a workflow job waits for its cancel to finish', async () => {
    h.awx.workflowJobTemplate(12, { statuses: ['running'], askVariablesOnLaunch: true });
    const config = h.config();
    const doSpec = { type: 'awx', workflowJobTemplateId: 12 };
    const c = command(doSpec);
    await h.dispatch(config, c);
    h.startRunner(config);
    const active = await eventually(async () => { const r = await h.row(c.flowId); return r.status === 'RUNNING' && r.pollingAttempts >= 1 ? r : undefined; });
    await h.dispatch(config, command({ type: 'awx', do: doSpec, undo: false }, { flowId: c.flowId, action: 'UNDO' }));
    expect(await h.reported(c.flowId, 'UNDO')).toMatchObject({ status: 'SUCCESS', output: { cancelledJob: { externalStatus: 'canceled' } } });
    expect(active.externalJobType).toBe('workflow_job');
    expect(h.awx.job(active.externalJobId!)?.status).toBe('canceled');
  });

  it('UNDO that only cancels fails when the cancelled job is never seen to end: it may still run', async () => {
    // The playbook ignores the cancel for longer than the DO's remaining polls.
    h.awx.jobTemplate(30, { statuses: ['running'], cancelPolls: 100 });
    const config = h.config({ HANDLER_JOB_MAX_POLLS: '4' });
    const doSpec = { type: 'awx', jobTemplateId: 30 };
    const c = command(doSpec);
    await h.dispatch(config, c);
    h.startRunner(config);
    const active = await eventually(async () => { const r = await h.row(c.flowId); return r.status === 'RUNNING' && r.pollingAttempts >= 1 ? r : undefined; });
    await h.dispatch(config, command({ type: 'awx', do: doSpec, undo: false }, { flowId: c.flowId, action: 'UNDO' }));
    const undo = await h.reported(c.flowId, 'UNDO');
    expect(undo).toMatchObject({ status: 'FAILED', output: { cancelledJob: { jobId: active.externalJobId, externalStatus: 'running', cancelRequested: true } } });
    expect(h.sink.for(c.flowId, 'UNDO')[0].error).toBe(`AWX job ${active.externalJobId} was never seen to end after its cancel, and may still run: `
      + 'check it on its target, then retry the undo or compensate by hand');
    expect(h.sink.for(c.flowId, 'DO')[0].error).toMatch(/^Polling timed out: .* \(cancel requested by the UNDO\)$/);
    expect(h.awx.job(active.externalJobId!)?.status).toBe('running');
  });

  it('UNDO of a DO not launched yet fails the DO without launching it', async () => {
    h.awx.jobTemplate(13);
    const config = h.config();
    const doSpec = { type: 'awx', jobTemplateId: 13 };
    const c = command(doSpec, { notBefore: new Date(Date.now() + 60_000) });
    await h.dispatch(config, c);
    await h.dispatch(config, command({ type: 'awx', do: doSpec, undo: false }, { flowId: c.flowId, action: 'UNDO' }));
    h.startRunner(config);
    expect(await h.reported(c.flowId, 'UNDO')).toMatchObject({ status: 'SUCCESS' });
    expect(await h.reported(c.flowId, 'DO')).toMatchObject({ status: 'FAILED', error: 'Cancelled by the UNDO before it was launched' });
    expect(h.awx.requestsTo('POST', /job_templates\/13\/launch/)).toHaveLength(0);
  });

  it("UNDO sent while the DO runs plans its undo once the DO's job has ended, with that job's output", async () => {
    h.awx.jobTemplate(20, { statuses: ['running'], artifacts: { vm_id: 'vm-7' } }).jobTemplate(21, { statuses: ['successful'] })
      .jobTemplate(22, { statuses: ['running'] }).jobTemplate(23, { statuses: ['successful'] });
    const config = h.config();
    const undoOf = (doSpec: object, template: number) => ({ type: 'awx', do: doSpec, undo: { type: 'awx', jobTemplateId: template, extraVars: { vm: '${steps.provision.output.artifacts.vm_id}' } } });
    const started = async (template: number) => {
      const c = command({ type: 'awx', jobTemplateId: template });
      await h.dispatch(config, c);
      return c;
    };
    const withArtifacts = await started(20);
    const without = await started(22);
    h.startRunner(config);
    for (const c of [withArtifacts, without]) {
      await eventually(async () => { const r = await h.row(c.flowId); return r.status === 'RUNNING' ? r : undefined; });
    }
    // The engine sends the UNDO with the outputs it has: the step's own is not among them yet.
    const undo = command(undoOf({ type: 'awx', jobTemplateId: 20 }, 21), { flowId: withArtifacts.flowId, action: 'UNDO' });
    await h.dispatch(config, undo);
    expect(await h.reported(withArtifacts.flowId, 'UNDO')).toMatchObject({ status: 'SUCCESS', output: { cancelledJob: { externalStatus: 'canceled' } } });
    const undoJob = h.awx.launches().find((j) => j.extraVars.baton_command_id === undo.commandId);
    expect(undoJob?.extraVars.vm).toBe('vm-7');
    expect((await h.row(withArtifacts.flowId, 'UNDO')).options).not.toHaveProperty('deferredUndo');

    // A cancelled job that left nothing to refer to: the UNDO fails, saying what it lacked.
    await h.dispatch(config, command(undoOf({ type: 'awx', jobTemplateId: 22 }, 23), { flowId: without.flowId, action: 'UNDO' }));
    const failed = await h.reported(without.flowId, 'UNDO');
    expect(failed).toMatchObject({ status: 'FAILED', output: { cancelledJob: { externalStatus: 'canceled' } } });
    expect(failed.error).toContain('vm_id');
    expect(h.awx.requestsTo('POST', /job_templates\/23\/launch/)).toHaveLength(0);
  });

  it('UNDO of a DO never launched runs no undo template: there is nothing to remove', async () => {
    h.awx.jobTemplate(24).jobTemplate(25, { statuses: ['successful'] });
    const config = h.config();
    const doSpec = { type: 'awx', jobTemplateId: 24 };
    const c = command(doSpec, { notBefore: new Date(Date.now() + 60_000) });
    await h.dispatch(config, c);
    await h.dispatch(config, command({ type: 'awx', do: doSpec, undo: { type: 'awx', jobTemplateId: 25, extraVars: { vm: '${payload.email}' } } },
      { flowId: c.flowId, action: 'UNDO' }));
    h.startRunner(config);
    expect(await h.reported(c.flowId, 'UNDO')).toMatchObject({ status: 'SUCCESS', output: { cancelledJob: { status: 'FAILED', jobId: null } } });
    expect(await h.reported(c.flowId, 'DO')).toMatchObject({ status: 'FAILED', error: 'Cancelled by the UNDO before it was launched' });
    expect(h.awx.requestsTo('POST', /job_templates\/2[45]\/launch/)).toHaveLength(0);

    // An undo that refers to the step's own output (planned once the DO ends): nothing to plan, and
    // the reference it could not fill when it was sent is no error of an UNDO that succeeded.
    const later = command(doSpec, { notBefore: new Date(Date.now() + 60_000) });
    await h.dispatch(config, later);
    await h.dispatch(config, command({ type: 'awx', do: doSpec, undo: { type: 'awx', jobTemplateId: 25, extraVars: { vm: '${steps.provision.output.artifacts.vm_id}' } } },
      { flowId: later.flowId, action: 'UNDO' }));
    expect(await h.reported(later.flowId, 'UNDO')).toMatchObject({ status: 'SUCCESS' });
    expect((await h.row(later.flowId, 'UNDO')).error).toBeNull();
  });

  it('a DO due in the same claim as its UNDO is not launched first', async () => {
    h.awx.jobTemplate(26, { statuses: ['running'] });
    const config = h.config();
    const doSpec = { type: 'awx', jobTemplateId: 26 };
    const c = command(doSpec);
    await h.dispatch(config, c);
    await h.dispatch(config, command({ type: 'awx', do: doSpec, undo: false }, { flowId: c.flowId, action: 'UNDO' }));
    h.startRunner(config);
    expect(await h.reported(c.flowId, 'UNDO')).toMatchObject({ status: 'SUCCESS' });
    expect(await h.reported(c.flowId, 'DO')).toMatchObject({ status: 'FAILED', error: 'Cancelled by the UNDO before it was launched' });
    expect(h.awx.requestsTo('POST', /job_templates\/26\/launch/)).toHaveLength(0);
  });

  it('UNDO of a finished DO runs the undo template only; a failing undo fails the UNDO', async () => {
    h.awx.jobTemplate(14, { statuses: ['successful'] }).jobTemplate(15, { launchError: { status: 403, body: { detail: 'You do not have permission to perform this action.' } } });
    const config = h.config();
    const doSpec = { type: 'awx', jobTemplateId: 14 };
    const c = command(doSpec);
    await h.dispatch(config, c);
    h.startRunner(config);
    await h.reported(c.flowId);
    await h.dispatch(config, command({ type: 'awx', do: doSpec, undo: { type: 'awx', jobTemplateId: 15 } }, { flowId: c.flowId, action: 'UNDO' }));
    expect(await h.reported(c.flowId, 'UNDO')).toMatchObject({
      status: 'FAILED', error: 'AWX launch of job_template 15 failed (HTTP 403): You do not have permission to perform this action.',
      output: { cancelledJob: { status: 'SUCCEEDED', externalStatus: 'successful', cancelRequested: false } },
    });
    const doJobId = (await h.row(c.flowId)).externalJobId;
    expect(h.awx.requestsTo('POST', /cancel/).filter((r) => r.path.includes(`/jobs/${doJobId}/`))).toHaveLength(0);
  });
});
