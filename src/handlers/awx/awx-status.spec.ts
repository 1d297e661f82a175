import { classifyAwxStatus } from './awx-status';

describe('classifyAwxStatus', () => {
  it.each(['new', 'pending', 'waiting', 'running'])('%s is in progress', (s) => {
    expect(classifyAwxStatus(s)).toEqual({ phase: 'IN_PROGRESS' });
  });

  it('successful succeeds', () => {
    expect(classifyAwxStatus('successful')).toEqual({ phase: 'SUCCESS' });
  });

  it.each(['failed', 'error', 'canceled'])('%s fails and keeps the original status', (s) => {
    expect(classifyAwxStatus(s)).toEqual({ phase: 'FAILURE', reason: `status ${s}` });
  });

  it('is case-insensitive', () => {
    expect(classifyAwxStatus('Successful').phase).toBe('SUCCESS');
  });

  it('keeps polling an unknown status, flagged', () => {
    expect(classifyAwxStatus('exploded')).toEqual({ phase: 'IN_PROGRESS', unknown: true });
    expect(classifyAwxStatus(undefined)).toEqual({ phase: 'IN_PROGRESS', unknown: true });
  });
});
