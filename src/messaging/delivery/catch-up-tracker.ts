import type { Backlog } from '../message-consumer';

/**
 * What every broker's backlog tracker shares: a consumer (re)attached at `since` is `applying`
 * what waited for it until the driver's own rule says it caught up, and `applied` from then on.
 * Live traffic after that is not backlog, so it never goes back: a reattach starts a new tracker.
 */
export abstract class CatchUpTracker {
  private caughtUpAt?: Date;

  constructor(readonly since: Date) {}

  get applied(): boolean {
    return this.caughtUpAt !== undefined;
  }

  /** How long catching up took, once it did. */
  catchUpMs(): number | undefined {
    return this.caughtUpAt && this.caughtUpAt.getTime() - this.since.getTime();
  }

  backlog(): Backlog {
    return this.applied ? { kind: 'applied' } : { kind: 'applying', since: this.since };
  }

  /** Records the catch-up; true the first time only. */
  protected caughtUp(now: Date): boolean {
    if (this.caughtUpAt) return false;
    this.caughtUpAt = now;
    return true;
  }
}
