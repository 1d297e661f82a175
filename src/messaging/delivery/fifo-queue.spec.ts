import { FifoQueue } from './fifo-queue';

describe('FifoQueue', () => {
  it('is first in, first out across compactions', () => {
    const queue = new FifoQueue<number>();
    for (let i = 0; i < 5000; i++) queue.push(i);
    for (let i = 0; i < 3000; i++) expect(queue.shift()).toBe(i);
    queue.push(5000);
    expect(queue.length).toBe(2001);
    expect(queue.toArray()[0]).toBe(3000);
    let next = 3000;
    while (queue.length > 0) expect(queue.shift()).toBe(next++);
    expect(queue.shift()).toBeUndefined();
  });

  it('puts items back at the front in the given order', () => {
    const queue = new FifoQueue<string>();
    queue.push('c');
    queue.shift();
    queue.push('d');
    queue.unshiftAll(['a', 'b']);
    expect(queue.toArray()).toEqual(['a', 'b', 'd']);
  });
});
