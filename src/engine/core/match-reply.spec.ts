import { matchReply } from './match-reply';
import { VOID_MARGIN_MS } from './void-waiting';

const NOW = Date.parse('2026-12-04T00:00:00Z');

describe('matchReply', () => {
  const run = {
    orchName: 'order',
    attempts: [{ stepName: 'reserve', action: 'DO' as const, attempt: 1, status: 'DISPATCHED' as const, commandId: 'c1' }],
  };

  it('takes a reply that names the run template, or none (a built-in handler)', () => {
    expect(matchReply(run, { orchName: 'order', stepName: 'reserve', action: 'DO' }, NOW)).toEqual({ attempt: run.attempts[0] });
    expect(matchReply(run, { stepName: 'reserve', action: 'DO', attempt: 1 }, NOW)).toEqual({ attempt: run.attempts[0] });
  });

  it('refuses a reply naming another template, even when its step is in flight', () => {
    expect(matchReply(run, { orchName: 'other', stepName: 'reserve', action: 'DO' }, NOW)).toEqual({ ignored: 'wrong-orch-name' });
  });

  it('says when nothing matching is in flight', () => {
    expect(matchReply(run, { orchName: 'order', stepName: 'reserve', action: 'UNDO' }, NOW)).toEqual({ ignored: 'not-in-flight' });
    expect(matchReply(run, { orchName: 'order', stepName: 'reserve', action: 'DO', attempt: 2 }, NOW)).toEqual({ ignored: 'not-in-flight' });
  });

  describe('a reply in the original format to a step whose retry waits out its backoff (the healer timed out the attempt before)', () => {
    const retrying = (dueInMs: number | null) => ({
      orchName: 'order',
      attempts: [
        { stepName: 'reserve', action: 'DO' as const, attempt: 1, status: 'TIMED_OUT' as const, commandId: 'c1' },
        { stepName: 'reserve', action: 'DO' as const, attempt: 2, status: 'DISPATCHED' as const, commandId: 'c2',
          dueAt: dueInMs === null ? null : NOW + dueInMs },
      ],
    });

    it("completes the retry and withdraws its command: the worker ran the step, and must not run it again", () => {
      const r = retrying(30_000);
      expect(matchReply(r, { stepName: 'reserve', action: 'DO' }, NOW)).toEqual({ attempt: r.attempts[1], withdraws: true });
      expect(matchReply(r, { stepName: 'reserve', action: 'DO' }, NOW + 30_000 - VOID_MARGIN_MS - 1)).toMatchObject({ withdraws: true });
    });

    it('completes it as the attempt in flight, as before, once its command is sent, due, or too close to its time to withdraw', () => {
      for (const [dueInMs, at] of [[null, NOW], [-1, NOW], [VOID_MARGIN_MS, NOW], [30_000, NOW + 30_000 - VOID_MARGIN_MS]] as const) {
        const r = retrying(dueInMs);
        expect(matchReply(r, { stepName: 'reserve', action: 'DO' }, at)).toEqual({ attempt: r.attempts[1] });
      }
    });

    it('never withdraws for a reply that names its attempt: it answers that one', () => {
      const r = retrying(30_000);
      expect(matchReply(r, { stepName: 'reserve', action: 'DO', attempt: 2 }, NOW)).toEqual({ attempt: r.attempts[1] });
      expect(matchReply(r, { stepName: 'reserve', action: 'DO', commandId: 'c2' }, NOW)).toEqual({ attempt: r.attempts[1] });
      expect(matchReply(r, { stepName: 'reserve', action: 'DO', attempt: 1 }, NOW)).toEqual({ ignored: 'not-in-flight' });
    });
  });
});
