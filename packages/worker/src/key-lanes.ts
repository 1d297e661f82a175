/**
 * Runs tasks with the same key one after another, in the order given, and tasks of other keys (or
 * none) at once. A task whose key is idle starts before `run` returns, so a caller that checked
 * for a free slot takes it before anything else can. Tasks handle their own errors: a rejection
 * is dropped here, and the key's next task runs.
 *
 * A task may free its key before it ends by calling the `release` it is given: the key's next
 * task starts then, while {@link idle} still waits for the first to end.
 */
export class KeyLanes {
  /** Per key, when its last task frees it. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly unfinished = new Set<Promise<void>>();

  run(key: string | undefined, task: (release: () => void) => Promise<void>): void {
    const previous = key === undefined ? undefined : this.tails.get(key);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const start = () => {
      const done = task(release);
      // A task that broke its promise and rejected still frees its key, and does not crash the process.
      void done.then(release, release);
      return done;
    };
    const current = previous ? previous.then(start) : start();
    this.unfinished.add(current);
    const finished = () => void this.unfinished.delete(current);
    void current.then(finished, finished);
    if (key === undefined) return;
    this.tails.set(key, released);
    void released.then(() => {
      if (this.tails.get(key) === released) this.tails.delete(key);
    });
  }

  /** Resolves once every task given so far has finished. */
  async idle(): Promise<void> {
    await Promise.allSettled(this.unfinished);
  }
}
