/**
 * Runs tasks with the same key one after another, in the order given, and tasks of other keys (or
 * none) at once. A task whose key is idle starts before `run` returns, so a caller that checked
 * for a free slot takes it before anything else can. Tasks handle their own errors: a rejection
 * is dropped here, and the key's next task runs.
 */
export class KeyLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly unfinished = new Set<Promise<void>>();

  run(key: string | undefined, task: () => Promise<void>): void {
    const previous = key === undefined ? undefined : this.tails.get(key);
    // A task that broke its promise and rejected still frees its key, and does not crash the process.
    const current = previous ? previous.then(task, task) : task();
    this.unfinished.add(current);
    if (key !== undefined) this.tails.set(key, current);
    const finished = () => {
      this.unfinished.delete(current);
      if (key !== undefined && this.tails.get(key) === current) this.tails.delete(key);
    };
    void current.then(finished, finished);
  }

  /** Resolves once every task given so far has finished. */
  async idle(): Promise<void> {
    await Promise.allSettled(this.unfinished);
  }
}
