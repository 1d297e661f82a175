import { classifyOoStatus } from './oo-status';

describe('classifyOoStatus', () => {
  it.each(['RUNNING', 'PENDING_PAUSE', 'PENDING_CANCEL'])('%s is in progress', (s) => {
    expect(classifyOoStatus(s, null)).toEqual({ phase: 'IN_PROGRESS' });
  });

  it('PAUSED waits for an operator, it does not fail', () => {
    expect(classifyOoStatus('PAUSED', null).phase).toBe('WAITING_FOR_OPERATOR');
  });

  it('COMPLETED + RESOLVED succeeds by default', () => {
    expect(classifyOoStatus('COMPLETED', 'RESOLVED')).toEqual({ phase: 'SUCCESS' });
  });

  it.each(['DIAGNOSED', 'NO_ACTION_TAKEN', 'ERROR'])('COMPLETED + %s fails by default', (r) => {
    expect(classifyOoStatus('COMPLETED', r)).toEqual({ phase: 'FAILURE', reason: `status COMPLETED with result ${r} (success: RESOLVED)` });
  });

  it('COMPLETED without a result type fails', () => {
    expect(classifyOoStatus('COMPLETED', null).reason).toContain('result none');
  });

  it('honours the step\'s success result types', () => {
    expect(classifyOoStatus('COMPLETED', 'DIAGNOSED', ['RESOLVED', 'DIAGNOSED']).phase).toBe('SUCCESS');
    expect(classifyOoStatus('COMPLETED', 'RESOLVED', ['NO_ACTION_TAKEN']).phase).toBe('FAILURE');
  });

  it.each(['SYSTEM_FAILURE', 'CANCELED'])('%s fails', (s) => {
    expect(classifyOoStatus(s, null)).toEqual({ phase: 'FAILURE', reason: `status ${s}` });
  });

  it('keeps polling an unknown status, flagged', () => {
    expect(classifyOoStatus('WHATEVER', null)).toEqual({ phase: 'IN_PROGRESS', unknown: true });
  });
});
