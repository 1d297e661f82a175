import { GroupCommit } from './group-commit';

/** A write the test finishes by hand, to hold a batch in flight. */
class Gate {
  private release!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.release = resolve));
  open(): void {
    this.release();
  }
}

function harness(maxBatch = 32, fail: { many?: boolean; one?: (item: string) => boolean } = {}, maxInFlight = 1) {
  const calls: string[][] = [];
  const gates: Gate[] = [];
  const hold = async () => {
    const gate = new Gate();
    gates.push(gate);
    await gate.opened;
  };
  const commit = new GroupCommit<string, string>({
    maxBatch,
    maxInFlight,
    keysOf: (item) => [item.split(':')[0]],
    one: async (item) => {
      calls.push([item]);
      await hold();
      if (fail.one?.(item)) throw new Error(`${item} refused`);
      return `${item} written`;
    },
    many: async (items) => {
      calls.push(items);
      await hold();
      if (fail.many) throw new Error('batch refused');
      return items.map((item) => `${item} written in ${items.length}`);
    },
  });
  /** Lets every write in flight return, then waits for the next ones to start. */
  const releaseAll = async () => {
    for (const gate of gates.splice(0)) gate.open();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { commit, calls, releaseAll };
}

describe('GroupCommit', () => {
  it('writes an item alone and at once when nothing is in flight', async () => {
    const { commit, calls, releaseAll } = harness();
    const result = commit.submit('a');
    expect(calls).toEqual([['a']]);
    await releaseAll();
    await expect(result).resolves.toBe('a written');
  });

  it('queues items while a write is in flight and writes them together when it returns, each with its own result', async () => {
    const { commit, calls, releaseAll } = harness();
    const first = commit.submit('a');
    const queued = ['b', 'c', 'd'].map((item) => commit.submit(item));
    expect(calls).toEqual([['a']]);
    await releaseAll();
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
    await releaseAll();
    await expect(first).resolves.toBe('a written');
    await expect(Promise.all(queued)).resolves.toEqual(['b written in 3', 'c written in 3', 'd written in 3']);
  });

  it('caps a batch and writes the rest in the next one', async () => {
    const { commit, calls, releaseAll } = harness(2);
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((item) => commit.submit(item));
    await releaseAll();
    await releaseAll();
    await releaseAll();
    expect(calls).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
    await releaseAll();
    await expect(Promise.all(all)).resolves.toHaveLength(6);
  });

  it('never puts two items with one key in a batch', async () => {
    const { commit, calls, releaseAll } = harness();
    const all = ['a', 'run1:x', 'run2:x', 'run1:y', 'run3:x'].map((item) => commit.submit(item));
    await releaseAll();
    await releaseAll();
    expect(calls).toEqual([['a'], ['run1:x', 'run2:x', 'run3:x'], ['run1:y']]);
    await releaseAll();
    await expect(Promise.all(all)).resolves.toHaveLength(5);
  });

  it('writes the items of a failed batch one by one, so only the one at fault fails', async () => {
    const { commit, calls, releaseAll } = harness(32, { many: true, one: (item) => item === 'c' });
    void commit.submit('a');
    const queued = ['b', 'c', 'd'].map((item) => commit.submit(item).catch((e: Error) => e.message));
    await releaseAll();
    await releaseAll();
    expect(calls).toEqual([['a'], ['b', 'c', 'd'], ['b'], ['c'], ['d']]);
    await releaseAll();
    await expect(Promise.all(queued)).resolves.toEqual(['b written', 'c refused', 'd written']);
  });

  it('keeps writing the queue after a lone write failed', async () => {
    const { commit, releaseAll } = harness(32, { one: (item) => item === 'a' });
    const failed = commit.submit('a').catch((e: Error) => e.message);
    const next = commit.submit('b');
    await releaseAll();
    await releaseAll();
    await expect(failed).resolves.toBe('a refused');
    await expect(next).resolves.toBe('b written');
  });

  it('writes alone again once the queue has drained', async () => {
    const { commit, calls, releaseAll } = harness();
    void commit.submit('a');
    void commit.submit('b');
    await releaseAll();
    await releaseAll();
    const later = commit.submit('c');
    expect(calls).toEqual([['a'], ['b'], ['c']]);
    await releaseAll();
    await expect(later).resolves.toBe('c written');
  });

  it('lets as many writes fly at once as allowed, and batches only what arrives beyond them', async () => {
    const { commit, calls, releaseAll } = harness(32, {}, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((item) => commit.submit(item));
    expect(calls).toEqual([['a'], ['b']]);
    await releaseAll();
    expect(calls).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    await releaseAll();
    await expect(Promise.all(all)).resolves.toHaveLength(5);
  });
});
