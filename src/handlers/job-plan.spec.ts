import 'reflect-metadata';
import type { StepCommand } from '../engine/dispatch/step-command';
import { loadHandlersConfig } from './handlers-config';
import { planJob } from './job-plan';

const config = loadHandlersConfig({
  AWX_HOST: 'https://awx', AWX_TOKEN: 'tok-1', AWX_CONNECTIONS: 'quiet', AWX_QUIET_HOST: 'https://awx2', AWX_QUIET_TOKEN: 'tok-2',
  AWX_QUIET_TRACE_EXTRA_VARS: 'false', OO_HOST: 'https://oo/oo', OO_USERNAME: 'u', OO_PASSWORD: 'p',
});
const now = new Date('2026-11-22T10:00:00Z');

function cmd(handler: StepCommand['handler'], extra: Partial<StepCommand> = {}): StepCommand {
  return {
    flowId: 'f-1', orchName: 'orch', stepName: 'step', action: 'DO', attempt: 2, commandId: 'c-1', objectType: 'T',
    payload: { host: 'h1', n: 3 }, payloadEncoding: 'json', outputs: {}, correlationId: 'corr', handler,
    notBefore: new Date('2026-11-22T10:00:05Z'), timeoutSeconds: 60, ...extra,
  };
}

describe('planJob', () => {
  it('plans an AWX launch with interpolated extra_vars and trace variables', () => {
    expect(planJob(cmd({ type: 'awx', jobTemplateId: 4, extraVars: { host: '${payload.host}', n: '${payload.n}' } }), config, 'awx', now)).toEqual({
      flowId: 'f-1', stepName: 'step', action: 'DO', attempt: 2, commandId: 'c-1', correlationId: 'corr',
      targetType: 'AWX', resourceType: 'job_template', resourceId: '4', connection: 'default', status: 'PENDING_LAUNCH',
      nextLaunchAt: new Date('2026-11-22T10:00:05Z'), nextPollAt: null, completedAt: null, error: null, options: null,
      requestPayload: { extra_vars: { host: 'h1', n: 3, baton_flow_id: 'f-1', baton_step: 'step', baton_command_id: 'c-1' } },
    });
  });

  it('leaves out trace variables where the connection says so', () => {
    const job = planJob(cmd({ type: 'awx', connection: 'quiet', workflowJobTemplateId: 4 }), config, 'awx', now);
    expect(job).toMatchObject({ connection: 'quiet', resourceType: 'workflow_job_template', requestPayload: { extra_vars: {} } });
  });

  it('takes a whole object as extra_vars or inputs from one reference, and refuses a reference to anything else', () => {
    const awx = planJob(cmd({ type: 'awx', connection: 'quiet', jobTemplateId: 4, extraVars: '${payload}' }), config, 'awx', now);
    expect(awx).toMatchObject({ status: 'PENDING_LAUNCH', requestPayload: { extra_vars: { host: 'h1', n: 3 } } });
    const oo = planJob(cmd({ type: 'oo', flowUuid: 'flow-1', inputs: '${payload}' }), config, 'oo', now);
    expect(oo).toMatchObject({ status: 'PENDING_LAUNCH', requestPayload: { inputs: { host: 'h1', n: '3' } } });
    const scalar = planJob(cmd({ type: 'awx', jobTemplateId: 4, extraVars: '${payload.host}' }), config, 'awx', now);
    expect(scalar).toMatchObject({ status: 'FAILED', error: 'extraVars: ${payload.host} is not an object' });
  });

  it('plans an OO run with string inputs and a traceable run name', () => {
    const job = planJob(cmd({ type: 'oo', flowUuid: 'flow-1', inputs: { n: '${payload.n}', all: '${payload}' } }), config, 'oo', now);
    expect(job).toMatchObject({
      targetType: 'OO', resourceType: 'flow', resourceId: 'flow-1', status: 'PENDING_LAUNCH',
      requestPayload: { flowUuid: 'flow-1', runName: 'orch/step [baton flow=f-1 step=step command=c-1]', inputs: { n: '3', all: '{"host":"h1","n":3}' } },
      options: { successResultTypes: ['RESOLVED'] },
    });
  });

  it('plans a FAILED row, due for reporting, for what cannot be launched', () => {
    expect(planJob(cmd({ type: 'awx', jobTemplateId: 1, extraVars: { x: '${steps.a.output}' } }), config, 'awx', now)).toMatchObject({
      status: 'FAILED', completedAt: now, nextPollAt: now, error: "extraVars.x: ${steps.a.output}: no output of step 'a' (steps with outputs: none)",
    });
    expect(planJob(cmd({ type: 'oo', connection: 'nope', flowUuid: 'f' }), config, 'oo', now)).toMatchObject({
      status: 'FAILED', targetType: 'OO', connection: 'nope', error: "OO connection 'nope' is not configured (configured: default)",
    });
    expect(planJob(cmd({ type: 'awx' }), config, 'awx', now)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('jobTemplateId') });
  });

  it('plans a FAILED row for a template whose owner the connection is no longer open to (registered before AWX_SERVICES listed others)', () => {
    const closed = loadHandlersConfig({ AWX_HOST: 'https://awx', AWX_TOKEN: 'tok-1', AWX_SERVICES: 'infra-team' });
    const spec = { type: 'awx', jobTemplateId: 4 };
    expect(planJob(cmd(spec, { ownerService: 'shop' }), closed, 'awx', now)).toMatchObject({
      status: 'FAILED', error: 'the step names AWX connection "default", which is not open to shop (AWX_SERVICES)',
    });
    expect(planJob(cmd(spec, { ownerService: 'infra-team' }), closed, 'awx', now)).toMatchObject({ status: 'PENDING_LAUNCH' });
  });

  it('plans an UNDO as CANCELLING first, with its undo template ready', () => {
    const undo = planJob(cmd({ type: 'awx', do: { type: 'awx', jobTemplateId: 1 }, undo: { type: 'oo', flowUuid: 'f-undo' } }, { action: 'UNDO' }), config, 'awx', now);
    expect(undo).toMatchObject({ action: 'UNDO', status: 'CANCELLING', targetType: 'OO', resourceType: 'flow', resourceId: 'f-undo',
      nextPollAt: new Date('2026-11-22T10:00:05Z'), error: null });
    const cancelOnly = planJob(cmd({ type: 'awx', do: { type: 'awx', connection: 'quiet', jobTemplateId: 1 }, undo: false }, { action: 'UNDO' }), config, 'awx', now);
    expect(cancelOnly).toMatchObject({ status: 'CANCELLING', targetType: 'AWX', connection: 'quiet', resourceType: null, options: { cancelOnly: true } });
  });

  it('still cancels when the undo template is broken, then fails the UNDO with the reason', () => {
    const undo = planJob(cmd({ type: 'awx', do: { type: 'awx', jobTemplateId: 1 }, undo: { type: 'awx', jobTemplateId: 2, extraVars: { x: '${nope}' } } },
      { action: 'UNDO' }), config, 'awx', now);
    expect(undo).toMatchObject({ status: 'CANCELLING', resourceType: null, error: "extraVars.x: ${nope}: unknown name 'nope' (use payload, steps, flowId or correlationId)" });
  });
});
