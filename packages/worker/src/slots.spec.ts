import { Slots } from './slots';

describe('Slots', () => {
  it('bounds concurrency and wakes waiters when a slot frees', async () => {
    const slots = new Slots(2);
    void slots.acquire();
    void slots.acquire();
    expect(slots.free()).toBe(0);
    let woke = false;
    const waiting = slots.whenFree().then(() => { woke = true; });
    await Promise.resolve();
    expect(woke).toBe(false);
    slots.release();
    await waiting;
    expect(woke).toBe(true);
  });

  it('resolves whenIdle only once every slot is released', async () => {
    const slots = new Slots(3);
    void slots.acquire();
    void slots.acquire();
    let idle = false;
    const done = slots.whenIdle().then(() => { idle = true; });
    slots.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    slots.release();
    await done;
    expect(idle).toBe(true);
  });

  it('rejects a concurrency that is not a positive integer', () => {
    expect(() => new Slots(0)).toThrow();
  });

  it('never runs past its size: an acquire beyond it waits, and each release hands its slot to the first waiting', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) void slots.acquire().then(() => order.push(name));
    await Promise.resolve();
    expect([order, slots.inUse, slots.free()]).toEqual([['a', 'b'], 2, 0]);
    slots.release();
    await Promise.resolve();
    expect([order, slots.inUse]).toEqual([['a', 'b', 'c'], 2]);
    slots.release();
    slots.release();
    await Promise.resolve();
    expect([order, slots.inUse]).toEqual([['a', 'b', 'c', 'd'], 1]);
  });
});
