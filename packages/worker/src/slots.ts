/** Bounded concurrency: at most `size` handlers at once; transports wait for a free slot before fetching. */
export class Slots {
  private used = 0;
  /** Deliveries waiting for a slot, first come first served: each release hands its slot to the first. */
  private queued: Array<() => void> = [];
  private waiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error('concurrency must be a positive integer');
  }

  free(): number {
    return this.size - this.used;
  }

  get inUse(): number {
    return this.used;
  }

  /**
   * Takes a slot: at once (counted before it returns) when one is free, else once a release hands
   * one over. A transport fetches only for free slots, but a RabbitMQ reconnect gives the new
   * channel a full prefetch while the old channel's handlers still run: those deliveries wait here
   * instead of running past the bound.
   */
  acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queued.push(resolve));
  }

  release(): void {
    const next = this.queued.shift();
    if (next) return next(); // the slot passes straight on: still in use
    this.used--;
    this.waiters.splice(0).forEach((w) => w());
    if (this.used === 0) this.idleWaiters.splice(0).forEach((w) => w());
  }

  /** Resolves once a slot is free (at once if one is). */
  whenFree(): Promise<void> {
    return this.free() > 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once no handler runs. */
  whenIdle(): Promise<void> {
    return this.used === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
