import { KeyedSerialExecutor } from './keyed-serial-executor';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedSerialExecutor', () => {
  it('runs tasks of one key in submission order, one at a time', async () => {
    const executor = new KeyedSerialExecutor();
    const log: string[] = [];
    let running = 0;
    for (let i = 0; i < 5; i++) {
      executor.submit('k', async () => {
        running++;
        expect(running).toBe(1);
        await new Promise((r) => setImmediate(r));
        log.push(`k${i}`);
        running--;
      });
    }
    await executor.onIdle();
    expect(log).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });

  it('runs different keys (and unkeyed tasks) concurrently', async () => {
    const executor = new KeyedSerialExecutor();
    const gate = deferred();
    const started: string[] = [];
    for (const key of ['a', 'b', undefined, undefined]) {
      executor.submit(key, async () => {
        started.push(String(key));
        await gate.promise;
      });
    }
    expect(started).toEqual(['a', 'b', 'undefined', 'undefined']);
    expect(executor.size).toBe(4);
    gate.resolve();
    await executor.onIdle();
    expect(executor.size).toBe(0);
  });

  it('never runs more than the limit at once, and a waiting key does not take a slot', async () => {
    const executor = new KeyedSerialExecutor(2);
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const task = (name: string) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      order.push(name);
      running--;
    };
    executor.submit('a', task('a1'));
    executor.submit('a', task('a2'));
    executor.submit('b', task('b1'));
    executor.submit('c', task('c1'));
    await executor.onIdle();
    expect(peak).toBe(2);
    expect(order.indexOf('a1')).toBeLessThan(order.indexOf('a2'));
    expect(order).toHaveLength(4);
  });

  it('keeps going after a task rejects', async () => {
    const executor = new KeyedSerialExecutor();
    const ran: number[] = [];
    executor.submit('k', () => Promise.reject(new Error('boom')));
    executor.submit('k', async () => {
      ran.push(2);
    });
    await executor.onIdle();
    expect(ran).toEqual([2]);
  });

  it('whenSizeBelow resolves once enough tasks finished', async () => {
    const executor = new KeyedSerialExecutor();
    const gates = [deferred(), deferred(), deferred()];
    gates.forEach((g, i) => executor.submit(String(i), () => g.promise));
    let room = false;
    const waiting = executor.whenSizeBelow(2).then(() => (room = true));
    gates[0].resolve();
    await new Promise((r) => setImmediate(r));
    expect(room).toBe(false);
    gates[1].resolve();
    await waiting;
    expect(room).toBe(true);
    gates[2].resolve();
    await executor.onIdle();
  });
});
