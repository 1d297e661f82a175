import { HELD_LIMIT, HeldQueue } from './held-queue';

describe('HeldQueue', () => {
  it('drops its oldest while over the limit, says so once per episode, and always keeps the newest', () => {
    const queue = new HeldQueue<number>((n) => n);
    queue.push(HELD_LIMIT.bytes);
    queue.push(1);
    expect(queue.dropOver()).toEqual({ dropped: 1, first: true });
    queue.push(HELD_LIMIT.bytes);
    expect(queue.dropOver()).toEqual({ dropped: 1, first: false });
    expect([queue.length, queue.dropOver()]).toEqual([1, { dropped: 0, first: false }]);
    queue.reset();
    queue.push(1);
    expect(queue.dropOver()).toEqual({ dropped: 1, first: true });
    expect([queue.shift(), queue.shift()]).toEqual([1, undefined]);
  });

  it('counts the bytes of what it takes back and hands over', () => {
    const queue = new HeldQueue<number>((n) => n);
    queue.unshiftAll([HELD_LIMIT.bytes, 2]);
    expect(queue.dropOver().dropped).toBe(1);
    expect(queue.takeAll()).toEqual([2]);
    queue.push(HELD_LIMIT.bytes);
    expect(queue.dropOver().dropped).toBe(0);
  });
});
