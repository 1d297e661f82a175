import { Slots } from './slots';

describe('Slots', () => {
  it('bounds concurrency and wakes waiters when a slot frees', async () => {
    const slots = new Slots(2);
    slots.take();
    slots.take();
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
    slots.take();
    slots.take();
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
});
