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
