/**
 * Delays between attempts that keep failing: doubling from `firstMs` up to `maxMs`, each drawn
 * from the upper half of its step, so that instances that failed together do not retry together.
 */
export class Backoff {
  private failures = 0;

  constructor(private readonly firstMs: number, private readonly maxMs: number) {}

  next(): number {
    const step = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.failures++, 30));
    return step / 2 + Math.random() * (step / 2);
  }

  reset(): void {
    this.failures = 0;
  }
}
