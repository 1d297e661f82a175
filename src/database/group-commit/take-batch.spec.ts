import { takeBatch } from './take-batch';

const byId = (item: { id: string; keys?: string[] }) => item.keys ?? [item.id];

describe('takeBatch', () => {
  it('takes the head of the queue in order, up to the cap, and leaves the rest queued', () => {
    const queue = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
    expect(takeBatch(queue, 3, byId).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(queue.map((i) => i.id)).toEqual(['d']);
  });

  it('takes everything when the queue is under the cap', () => {
    const queue = [{ id: 'a' }, { id: 'b' }];
    expect(takeBatch(queue, 32, byId)).toHaveLength(2);
    expect(queue).toEqual([]);
  });

  it('leaves an item whose key is taken queued, in its place, and takes the ones behind it', () => {
    const queue = [{ id: 'a' }, { id: 'b', keys: ['a'] }, { id: 'c' }, { id: 'd', keys: ['c', 'x'] }, { id: 'e' }];
    expect(takeBatch(queue, 32, byId).map((i) => i.id)).toEqual(['a', 'c', 'e']);
    expect(queue.map((i) => i.id)).toEqual(['b', 'd']);
  });

  it('counts every key of an item: one shared key is enough to wait', () => {
    const queue = [{ id: 'a', keys: ['run:1', 'idem:k'] }, { id: 'b', keys: ['run:2', 'idem:k'] }];
    expect(takeBatch(queue, 32, byId).map((i) => i.id)).toEqual(['a']);
    expect(queue.map((i) => i.id)).toEqual(['b']);
  });

  it('keeps the order of the items left behind when the cap is reached', () => {
    const queue = [{ id: 'a' }, { id: 'b', keys: ['a'] }, { id: 'c' }, { id: 'd' }];
    expect(takeBatch(queue, 2, byId).map((i) => i.id)).toEqual(['a', 'c']);
    expect(queue.map((i) => i.id)).toEqual(['b', 'd']);
  });
});
