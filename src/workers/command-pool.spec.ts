import { CommandPool, type PooledCommand } from './command-pool';

function entry(commandId: string): PooledCommand & { acked: number; returned: Error[] } {
  const e = {
    commandId, body: { commandId }, acked: 0, returned: [] as Error[],
    done: (error?: Error) => (error ? e.returned.push(error) : e.acked++),
  };
  return e;
}

describe('CommandPool', () => {
  it('hands a waiting command out at once, and a command that arrives later to a waiting poll', async () => {
    const pool = new CommandPool(60_000);
    pool.offer(entry('a'));
    expect((await pool.take(5, 1000)).map((l) => l.command)).toEqual([{ commandId: 'a' }]);
    const waiting = pool.take(5, 5000);
    pool.offer(entry('b'));
    expect((await waiting).map((l) => l.command)).toEqual([{ commandId: 'b' }]);
  });

  it('answers an empty poll after its wait, and at once when the poller is gone', async () => {
    const pool = new CommandPool(60_000);
    expect(await pool.take(1, 20)).toEqual([]);
    const gone = new AbortController();
    const waiting = pool.take(1, 60_000, gone.signal);
    gone.abort();
    expect(await waiting).toEqual([]);
    expect(pool.size.polling).toBe(0);
  });

  it('acknowledges a command only when its lease is settled', async () => {
    const pool = new CommandPool(60_000);
    const e = entry('a');
    pool.offer(e);
    const [lease] = await pool.take(1, 0);
    expect(e.acked).toBe(0);
    expect(pool.settle(lease.leaseId)).toBe(true);
    expect(e.acked).toBe(1);
    expect(pool.settle(lease.leaseId)).toBe(false);
  });

  it('gives a command whose lease expired to the next poller, and still settles it by its command id', async () => {
    const pool = new CommandPool(50);
    const e = entry('a');
    pool.offer(e);
    const [first] = await pool.take(1, 0);
    await new Promise((r) => setTimeout(r, 80));
    expect(pool.get(first.leaseId)).toBeUndefined();
    const [second] = await pool.take(1, 0);
    expect(second.command).toEqual({ commandId: 'a' });
    expect(pool.currentLease('a')).toBe(second.leaseId);
    pool.settle(second.leaseId);
    expect(e.acked).toBe(1);
  });

  it('keeps a lease alive while it is renewed', async () => {
    const pool = new CommandPool(60);
    pool.offer(entry('a'));
    const [lease] = await pool.take(1, 0);
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 30));
      expect(pool.renew(lease.leaseId)).toBeDefined();
    }
    pool.settle(lease.leaseId);
  });

  it('returns everything unacknowledged on shutdown', async () => {
    const pool = new CommandPool(60_000);
    const leased = entry('a');
    const ready = entry('b');
    pool.offer(leased);
    await pool.take(1, 0);
    pool.offer(ready);
    pool.releaseAll(new Error('shutting down'));
    expect(leased.returned).toHaveLength(1);
    expect(ready.returned).toHaveLength(1);
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });
});
