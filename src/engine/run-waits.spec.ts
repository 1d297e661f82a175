import { DISPATCH_WAIT, operatorWait, stepWait, waitText, workersWait } from './run-waits';

const now = new Date('2026-12-02T10:00:00.000Z');
const attempt = {
  action: 'DO' as const, stepName: 'charge', attempt: 2, target: 'orchestrator.commands.pay' as string | null,
  dispatchedAt: new Date('2026-12-02T09:59:00.000Z'), deadlineAt: new Date('2026-12-02T10:01:00.000Z'),
};

describe('what an unfinished run waits for', () => {
  it('gives a step in flight its deadline as a field, and the one-line text its ISO UTC form', () => {
    const wait = stepWait(attempt, undefined, now);
    expect(wait).toEqual({ what: 'DO charge attempt 2 on orchestrator.commands.pay', deadlineAt: attempt.deadlineAt, retryAt: null });
    expect(waitText([wait])).toBe('DO charge attempt 2 on orchestrator.commands.pay (deadline 2026-12-02T10:01:00.000Z)');
  });

  it('gives a retry not dispatched yet its due time instead', () => {
    const due = new Date('2026-12-02T10:00:30.000Z');
    const wait = stepWait({ ...attempt, dispatchedAt: due, target: null }, undefined, now);
    expect(wait).toEqual({ what: 'DO charge attempt 2 on no target', deadlineAt: null, retryAt: due });
    expect(waitText([wait])).toBe('DO charge attempt 2 on no target (retry due 2026-12-02T10:00:30.000Z)');
  });

  it('describes a built-in step by its job, without a time', () => {
    expect(stepWait(attempt, { status: 'POLLING', external_status: 'running' }, now))
      .toEqual({ what: 'DO charge attempt 2 on orchestrator.commands.pay (job polling, running)', deadlineAt: null, retryAt: null });
    expect(stepWait(attempt, { status: 'WAITING_FOR_OPERATOR', external_status: 'PAUSED' }, now).what)
      .toBe('DO charge attempt 2 on orchestrator.commands.pay (waiting for an operator: the job is PAUSED)');
  });

  it('joins several waits, and names missing workers or the next dispatch', () => {
    expect(waitText([workersWait(['a', 'b']), DISPATCH_WAIT]))
      .toBe('workers for steps: a, b; the engine to dispatch the next step (the healer will)');
    expect(workersWait([]).what).toBe('workers for steps: (none missing: starts on the next healer tick)');
  });

  it('sends a paused run with nothing in flight to an operator, naming the failed step', () => {
    expect(waitText([operatorWait('charge')])).toBe('an operator: step charge failed (retry it, skip it, compensate or terminate the run)');
    expect(operatorWait(null)).toEqual({ what: 'an operator to resume the run (or terminate it)', deadlineAt: null, retryAt: null });
  });
});
