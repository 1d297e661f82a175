import type { RunState } from './run-changes';
import { RunStateCache } from './run-state-cache';

const run = (flowId: string, status: RunState['status'] = 'RUNNING', version = 1): RunState => ({
  flowId, orchName: 'o', templateId: 't', templateVersion: 1, status, correlationId: 'c', payload: Buffer.from('{}'),
  contentType: 'application/json', failedStep: null, version, attempts: [],
});

describe('RunStateCache', () => {
  it('hands out copies, so a transition that loses its race leaves the cached run as it was', () => {
    const cache = new RunStateCache();
    cache.remember(run('a'));
    const taken = cache.take('a')!;
    taken.status = 'COMPENSATING';
    taken.version = 9;
    expect(cache.take('a')).toMatchObject({ status: 'RUNNING', version: 1 });
  });

  it('keeps the latest write of a run and forgets a run on request', () => {
    const cache = new RunStateCache();
    cache.remember(run('a', 'RUNNING', 1));
    cache.remember(run('a', 'COMPENSATING', 2));
    expect(cache.take('a')).toMatchObject({ status: 'COMPENSATING', version: 2 });
    cache.forget('a');
    expect(cache.take('a')).toBeUndefined();
  });

  it('does not keep finished runs: late replies and undo requests read the database', () => {
    const cache = new RunStateCache();
    cache.remember(run('a', 'RUNNING', 1));
    cache.remember(run('a', 'COMPLETED', 2));
    expect(cache.take('a')).toBeUndefined();
  });

  it('forgets its last run without sweeping all its slots, and stays usable', () => {
    const cache = new RunStateCache();
    cache.remember(run('a'));
    const fill = jest.spyOn(Array.prototype, 'fill');
    try {
      cache.remember(run('a', 'COMPLETED', 2));
      expect(fill).not.toHaveBeenCalled();
    } finally {
      fill.mockRestore();
    }
    expect(cache.take('a')).toBeUndefined();
    cache.remember(run('b'));
    cache.remember(run('c'));
    cache.forget('c');
    expect(cache.take('b')).toMatchObject({ flowId: 'b' });
    expect(cache.take('c')).toBeUndefined();
  });

  it('drops the least recently written run when full', () => {
    const cache = new RunStateCache();
    for (let i = 0; i <= 20_000; i++) cache.remember(run(`r${i}`));
    cache.remember(run('r1')); // written again: now the most recent
    cache.remember(run('extra'));
    expect(cache.take('r0')).toBeUndefined();
    expect(cache.take('r2')).toBeUndefined();
    expect(cache.take('r1')).toBeDefined();
    expect(cache.take('r3')).toBeDefined();
    expect(cache.take('extra')).toBeDefined();
  });
});

describe('RunStateCache with large payloads', () => {
  it('bounds the bytes it holds: runs with 1 MiB payloads are dropped oldest first', () => {
    const cache = new RunStateCache();
    const big = (flowId: string) => ({ ...run(flowId), payload: Buffer.alloc(1024 * 1024) });
    for (let i = 0; i < 100; i++) cache.remember(big(`b${i}`));
    expect(cache.take('b0')).toBeUndefined();
    expect(cache.take('b99')).toBeDefined();
    const kept = Array.from({ length: 100 }, (_, i) => cache.take(`b${i}`)).filter(Boolean).length;
    expect(kept).toBeLessThan(64);
    expect(kept).toBeGreaterThan(50);
  });
});
