import { CatchUpTracker } from './catch-up-tracker';

class Tracker extends CatchUpTracker {
  done(now: Date): boolean {
    return this.caughtUp(now);
  }
}

describe('CatchUpTracker', () => {
  const since = new Date('2026-12-07T08:00:00Z');

  it('is applying from its start until it caught up, then applied for good', () => {
    const tracker = new Tracker(since);
    expect(tracker.backlog()).toEqual({ kind: 'applying', since });
    expect(tracker.catchUpMs()).toBeUndefined();
    expect(tracker.done(new Date(since.getTime() + 1500))).toBe(true);
    expect(tracker.done(new Date(since.getTime() + 9000))).toBe(false);
    expect([tracker.applied, tracker.backlog(), tracker.catchUpMs()]).toEqual([true, { kind: 'applied' }, 1500]);
  });
});
