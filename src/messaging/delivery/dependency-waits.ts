/** One message's part in a consumer's DependencyWaits. */
export interface MessageWait {
  /** Its handler failed on an outage and it is retried: its wait starts, unless under way. */
  waiting(): void;
  /** Handled, failed otherwise, or left unacknowledged: its wait (if any) ends. */
  over(): void;
}

/**
 * The messages a consumer holds in its outage retry loop (its handler failed on an unreachable
 * dependency, `wait-for-dependency`), and since when. Reported as the consumer's `waitingSince`: a
 * reply held there is not applied, though the consumer runs, so the healer must not time out its
 * attempt yet (see mayTimeOut).
 */
export class DependencyWaits {
  private readonly held = new Set<{ since: Date }>();

  constructor(private readonly now = () => new Date()) {}

  forMessage(): MessageWait {
    let wait: { since: Date } | undefined;
    return {
      waiting: () => {
        if (wait) return;
        wait = { since: this.now() };
        this.held.add(wait);
      },
      over: () => {
        if (wait) this.held.delete(wait);
        wait = undefined;
      },
    };
  }

  /** Since when the oldest message still held has waited, or undefined when none is. */
  get since(): Date | undefined {
    let oldest: Date | undefined;
    for (const { since } of this.held) if (!oldest || since < oldest) oldest = since;
    return oldest;
  }
}

/** For a delivery whose consumer reports no waits. */
export const UNTRACKED_WAIT: MessageWait = { waiting: () => undefined, over: () => undefined };
