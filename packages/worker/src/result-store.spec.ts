import { MemoryResultStore } from './result-store';
import { parseCommand } from './wire';

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
});

describe('parseCommand', () => {
  it('rejects what is not a command', () => {
    expect(() => parseCommand('null')).toThrow('JSON object');
    expect(() => parseCommand('{"flowId":"f"}')).toThrow('lacks');
    expect(() => parseCommand(JSON.stringify({
      flowId: 'f', orchName: 'o', stepName: 's', action: 'MAYBE', commandId: 'c', idempotencyKey: 'k', deadline: 'd',
    }))).toThrow('Unknown action');
  });
});
