import { MemoryResultStore } from './result-store';

describe('MemoryResultStore', () => {
  it('keeps the first result per key and evicts the oldest past its bound', async () => {
    const store = new MemoryResultStore(2);
    await store.put('a', { output: 1 });
    await store.put('a', { output: 2 });
    expect(await store.get('a')).toEqual({ output: 1 });
    await store.put('b', { output: 2 });
    await store.put('c', { output: 3 });
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toEqual({ output: 3 });
  });

  it('keeps failures apart from results, the first per command id, bounded the same way', async () => {
    const store = new MemoryResultStore(2);
    await store.put('a', { output: 1 });
    await store.putFailure('a', { error: 'first', nonRetryable: false });
    await store.putFailure('a', { error: 'second', nonRetryable: true });
    expect(await store.get('a')).toEqual({ output: 1 });
    expect(await store.getFailure('a')).toEqual({ error: 'first', nonRetryable: false });
    await store.putFailure('b', { error: 'b', nonRetryable: false });
    await store.putFailure('c', { error: 'c', nonRetryable: false });
    expect(await store.getFailure('a')).toBeUndefined();
    expect(await store.get('a')).toEqual({ output: 1 });
  });

  it('evicts the oldest past maxBytes of keys and JSON as well, keeping the newest even alone over it', async () => {
    const store = new MemoryResultStore({ maxBytes: 100 });
    await store.put('a', { output: 'x'.repeat(40) }); // 1 + 42 bytes
    await store.put('b', { output: 'y'.repeat(40) });
    expect(await store.get('a')).toEqual({ output: 'x'.repeat(40) });
    await store.put('c', { output: 'z'.repeat(40) }); // 129 bytes in all: 'a' goes
    expect([await store.get('a'), await store.get('b')]).toEqual([undefined, { output: 'y'.repeat(40) }]);
    await store.put('d', { output: 'w'.repeat(500) });
    expect([await store.get('b'), await store.get('c'), await store.get('d')]).toEqual([undefined, undefined, { output: 'w'.repeat(500) }]);
    await store.putFailure('f1', { error: 'e'.repeat(60), nonRetryable: false });
    await store.putFailure('f2', { error: 'e'.repeat(60), nonRetryable: false });
    expect([await store.getFailure('f1'), await store.get('d')]).toEqual([undefined, { output: 'w'.repeat(500) }]);
  });

  it('keeps the JSON text it is given, not the object: what the handler changes later is not replayed', async () => {
    const store = new MemoryResultStore();
    const output = { n: 1 };
    await store.put('a', { output }, '{"n":1}');
    output.n = 2;
    const replayed = await store.get('a');
    expect(replayed).toEqual({ output: { n: 1 } });
    (replayed!.output as { n: number }).n = 3; // one copy's value is its own
    expect(await store.get('a')).toEqual({ output: { n: 1 } });
  });

  it('refuses bounds that are not positive integers', () => {
    expect(() => new MemoryResultStore({ maxBytes: Number.NaN })).toThrow('MemoryResultStore: maxBytes must be a positive integer, not NaN');
    expect(() => new MemoryResultStore(0)).toThrow('MemoryResultStore: maxEntries must be a positive integer, not 0');
  });
});
