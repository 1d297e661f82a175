/**
 * Candidates whose healing threw, skipped for a number of ticks. The healer's candidate queries
 * return the same rows first tick after tick (the oldest deadline, the longest quiet), so one
 * that fails every time would otherwise be tried (and logged) first on every tick for ever, and
 * enough of them would fill every batch.
 */
export class HeldBack {
  /** Per held key: how many more ticks skip it. */
  private readonly ticksLeft = new Map<string, number>();

  constructor(private readonly ticks: number) {}

  /** Skips `key` for the next `ticks` ticks. */
  hold(key: string): void {
    this.ticksLeft.set(key, this.ticks);
  }

  /** A new tick begins: each held key has one tick less to wait, and those done are tried again. */
  tick(): void {
    for (const [key, left] of this.ticksLeft) {
      if (left === 0) this.ticksLeft.delete(key);
      else this.ticksLeft.set(key, left - 1);
    }
  }

  has(key: string): boolean {
    return this.ticksLeft.has(key);
  }

  get size(): number {
    return this.ticksLeft.size;
  }
}
