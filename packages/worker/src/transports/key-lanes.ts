/**
 * Runs tasks with the same key one after another, in the order given, and tasks of other keys (or
 * none) at once. A task whose key is idle starts before `run` returns, so a caller that checked
 * for a free slot takes it before anything else can. Tasks must not reject.
 */
export class KeyLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly started: Array<Promise<void>> = [];

  run(key: string | undefined, task: () => Promise<void>): void {
    const previous = key === undefined ? undefined : this.tails.get(key);
    const current = previous ? previous.then(task) : task();
    this.started.push(current);
    if (key === undefined) return;
    this.tails.set(key, current);
    void current.then(() => {
      if (this.tails.get(key) === current) this.tails.delete(key);
    });
  }

  /** Resolves once every task given so far has finished. */
  async idle(): Promise<void> {
    await Promise.all(this.started);
  }
}
