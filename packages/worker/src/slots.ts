/** Bounded concurrency: at most `size` handlers at once; transports wait for a free slot before fetching. */
export class Slots {
  private used = 0;
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

  take(): void {
    this.used++;
  }

  release(): void {
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
