import { orcaExternalStatusOf, orcaResourceTypeOf, orcaResultTypeOf, orcaStatusOf, orcaTargetTypeOf } from './orca-codes';

describe('Orca codes', () => {
  it('maps job statuses to 0 pending, 1 running, 2 success, 3 failed', () => {
    expect(['PENDING_LAUNCH', 'LAUNCHING'].map((s) => orcaStatusOf(s as never))).toEqual([0, 0]);
    expect(['RUNNING', 'WAITING_FOR_OPERATOR', 'CANCELLING'].map((s) => orcaStatusOf(s as never))).toEqual([1, 1, 1]);
    expect(orcaStatusOf('SUCCEEDED')).toBe(2);
    expect(orcaStatusOf('FAILED')).toBe(3);
  });

  it('maps targets, resources and OO result types to their integers', () => {
    expect([orcaTargetTypeOf('AWX'), orcaTargetTypeOf('OO')]).toEqual([0, 1]);
    expect([orcaResourceTypeOf('job_template'), orcaResourceTypeOf('workflow_job_template'), orcaResourceTypeOf('flow'), orcaResourceTypeOf(null)])
      .toEqual([0, 1, null, null]);
    expect(['RESOLVED', 'DIAGNOSED', 'NO_ACTION_TAKEN', 'ERROR', null].map(orcaResultTypeOf)).toEqual([0, 1, 2, null, null]);
  });

  it('shows "running" between the launch and the first poll, then the polled status', () => {
    expect(orcaExternalStatusOf(null, null)).toBeNull();
    expect(orcaExternalStatusOf(null, '42')).toBe('running');
    expect(orcaExternalStatusOf('successful', '42')).toBe('successful');
  });
});
