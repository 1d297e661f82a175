import { matchReply } from './match-reply';

describe('matchReply', () => {
  const run = {
    orchName: 'order',
    attempts: [{ stepName: 'reserve', action: 'DO' as const, attempt: 1, status: 'DISPATCHED' as const, commandId: 'c1' }],
  };

  it('takes a reply that names the run template, or none (a built-in handler)', () => {
    expect(matchReply(run, { orchName: 'order', stepName: 'reserve', action: 'DO' })).toEqual({ attempt: run.attempts[0] });
    expect(matchReply(run, { stepName: 'reserve', action: 'DO', attempt: 1 })).toEqual({ attempt: run.attempts[0] });
  });

  it('refuses a reply naming another template, even when its step is in flight', () => {
    expect(matchReply(run, { orchName: 'other', stepName: 'reserve', action: 'DO' })).toEqual({ ignored: 'wrong-orch-name' });
  });

  it('says when nothing matching is in flight', () => {
    expect(matchReply(run, { orchName: 'order', stepName: 'reserve', action: 'UNDO' })).toEqual({ ignored: 'not-in-flight' });
    expect(matchReply(run, { orchName: 'order', stepName: 'reserve', action: 'DO', attempt: 2 })).toEqual({ ignored: 'not-in-flight' });
  });
});
