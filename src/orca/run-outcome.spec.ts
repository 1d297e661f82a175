import type { RunState } from '../engine/run-changes';
import { requestStatusEvent } from './request-status-event';
import { finalFacts, launchOutput } from './run-outcome';

const at = new Date('2026-01-27T19:15:35.500Z');
function run(orchName: string, output: unknown, error: string | null = null): RunState {
  return {
    flowId: 'f-1', orchName, templateId: 't', templateVersion: 1, status: 'RUNNING', correlationId: 'c', payload: Buffer.from('{}'),
    contentType: 'application/json', failedStep: null, version: 1,
    attempts: [{ stepName: 'orcaExecution', action: 'DO', attempt: 1, status: 'SUCCEEDED', commandId: 'x', output, error }],
  };
}

describe('the final RequestStatusUpdatedEvent of an Orca run', () => {
  it('reports a finished OO flow with its status and result type code', () => {
    const facts = finalFacts(run('orca.oo.flow.default', { jobId: '101', status: 'COMPLETED', resultStatusType: 'NO_ACTION_TAKEN' }), 'COMPLETED', 'RUNNING', at);
    expect(requestStatusEvent(facts!)).toEqual({
      RequestId: 'f-1', Status: 2, ResultType: 2, AwxOoExecutionStatus: 'COMPLETED', ExecutionId: '101', ErrorMessage: null, UpdatedAtUtc: at.toISOString(),
    });
  });

  it('reports a failed AWX job with the step\'s error and no result type', () => {
    const facts = finalFacts(run('orca.awx.job_template.42.default', { jobId: '7', status: 'failed' }, 'AWX job 7 failed: status failed'), 'FAILED', 'RUNNING', at);
    expect(requestStatusEvent(facts!)).toMatchObject({ Status: 3, ResultType: null, AwxOoExecutionStatus: 'failed', ExecutionId: '7', ErrorMessage: 'AWX job 7 failed: status failed' });
  });

  it('reports a run an operator terminated as failed, whether its step was in flight or had failed', () => {
    const inFlight = run('orca.awx.job_template.42.default', null);
    inFlight.attempts[0] = { ...inFlight.attempts[0], status: 'DISPATCHED' };
    expect(requestStatusEvent(finalFacts(inFlight, 'TERMINATED', 'RUNNING', at)!)).toMatchObject({ Status: 3, ErrorMessage: 'run TERMINATED' });
    const paused = run('orca.oo.flow.default', { jobId: '101', status: 'SYSTEM_FAILURE' }, 'OO flow failed');
    expect(requestStatusEvent(finalFacts(paused, 'TERMINATED', 'PAUSED', at)!)).toMatchObject(
      { Status: 3, ErrorMessage: 'OO flow failed', ExecutionId: '101', AwxOoExecutionStatus: 'SYSTEM_FAILURE' });
  });

  it('names the job of a run terminated while it runs, as its Status 1 did (the launch left it on the attempt), or none before a launch', () => {
    const launched = run('orca.awx.job_template.42.default', launchOutput('7', 'running'));
    launched.attempts[0] = { ...launched.attempts[0], status: 'ABANDONED' };
    expect(requestStatusEvent(finalFacts(launched, 'TERMINATED', 'RUNNING', at)!)).toMatchObject(
      { Status: 3, ExecutionId: '7', AwxOoExecutionStatus: 'running', ErrorMessage: 'run TERMINATED' });
    const unlaunched = run('orca.awx.job_template.42.default', null);
    unlaunched.attempts[0] = { ...unlaunched.attempts[0], status: 'ABANDONED' };
    expect(requestStatusEvent(finalFacts(unlaunched, 'TERMINATED', 'RUNNING', at)!)).toMatchObject({ Status: 3, ExecutionId: null, AwxOoExecutionStatus: null });
  });

  it('reports the facts of the last attempt that ran, not of a retry voided before it was sent', () => {
    const r = run('orca.awx.job_template.42.default', { jobId: '7', status: 'failed' }, 'AWX job 7 failed: status failed');
    r.attempts.push({ stepName: 'orcaExecution', action: 'DO', attempt: 2, status: 'VOIDED', commandId: 'y', output: null,
      error: 'not sent: the run was TERMINATED before it was due' });
    expect(requestStatusEvent(finalFacts(r, 'TERMINATED', 'RUNNING', at)!)).toMatchObject(
      { Status: 3, AwxOoExecutionStatus: 'failed', ExecutionId: '7', ErrorMessage: 'AWX job 7 failed: status failed' });
  });

  it('says nothing for other runs, other changes, or an operator\'s undo after the end', () => {
    expect(finalFacts(run('shop', {}), 'COMPLETED', 'RUNNING', at)).toBeUndefined();
    expect(finalFacts(run('orca.oo.x.default', {}), 'COMPENSATING', 'RUNNING', at)).toBeUndefined();
    expect(finalFacts(run('orca.oo.x.default', {}), 'UNDONE', 'UNDOING', at)).toBeUndefined();
    expect(finalFacts(run('orca.oo.x.default', {}), 'FAILED', 'COMPLETED', at)).toBeUndefined();
  });

  it('says nothing when a run ends again after an operator retried its failed undos: its first end was the request\'s', () => {
    // COMPENSATION_FAILED (Status 3 sent) → POST /undo → COMPENSATING with the cancel resent → FAILED.
    const r = run('orca.awx.job_template.42.default', { jobId: '7', status: 'running' }, 'AWX job 7 failed');
    r.attempts.push(
      { stepName: 'orcaExecution', action: 'UNDO', attempt: 1, budgetStart: 1, status: 'FAILED', commandId: 'u1', output: null, error: 'cancel refused' },
      { stepName: 'orcaExecution', action: 'UNDO', attempt: 2, budgetStart: 2, status: 'SUCCEEDED', commandId: 'u2', output: null, error: null },
    );
    expect(finalFacts(r, 'FAILED', 'COMPENSATING', at)).toBeUndefined();
    expect(finalFacts(r, 'TERMINATED', 'COMPENSATING', at)).toBeUndefined();
  });

  it('reports the first end of a compensated run, its cancel failed or not', () => {
    const r = run('orca.awx.job_template.42.default', { jobId: '7', status: 'running' }, 'AWX job 7 failed');
    r.attempts.push({ stepName: 'orcaExecution', action: 'UNDO', attempt: 1, budgetStart: 1, status: 'FAILED', commandId: 'u1', output: null, error: 'cancel refused' });
    expect(finalFacts(r, 'COMPENSATION_FAILED', 'COMPENSATING', at)).toMatchObject({ status: 3 });
    expect(finalFacts(r, 'FAILED', 'COMPENSATING', at)).toMatchObject({ status: 3 });
  });
});
