import { setTimeout as sleep } from 'node:timers/promises';
import { CommandPool, type LeaseExpiryCheck } from './command-pool';
import type { PooledCommand } from './pooled-command';
import type { LeaseExpiryAction } from './lease-expiry';

const offerAgain: LeaseExpiryCheck = async () => ({ action: 'offer-again' });

function entry(commandId: string): PooledCommand & { acked: number; returned: Error[] } {
  const e = {
    commandId, body: { commandId }, acked: 0, returned: [] as Error[],
    done: (error?: Error) => (error ? e.returned.push(error) : e.acked++),
  };
  return e;
}

describe('CommandPool', () => {
  it('hands a waiting command out at once, and a command that arrives later to a waiting poll', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    pool.offer(entry('a'));
    expect((await pool.take(5, 1000)).map((l) => l.command)).toEqual([{ commandId: 'a' }]);
    const waiting = pool.take(5, 5000);
    pool.offer(entry('b'));
    expect((await waiting).map((l) => l.command)).toEqual([{ commandId: 'b' }]);
  });

  it('answers an empty poll after its wait, and at once when the poller is gone', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    expect(await pool.take(1, 20)).toEqual([]);
    const gone = new AbortController();
    const waiting = pool.take(1, 60_000, gone.signal);
    gone.abort();
    expect(await waiting).toEqual([]);
    expect(pool.size.polling).toBe(0);
    // Gone before it asked (while its pool was being found): it is handed nothing, even with a command waiting.
    pool.offer(entry('a'));
    expect(await pool.take(1, 60_000, AbortSignal.abort())).toEqual([]);
    expect(pool.size).toEqual({ ready: 1, leased: 0, polling: 0 });
  });

  it('acknowledges a command only when its lease is settled', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    const e = entry('a');
    pool.offer(e);
    const [lease] = await pool.take(1, 0);
    expect(e.acked).toBe(0);
    expect(pool.settle(lease.leaseId)).toBe(true);
    expect(e.acked).toBe(1);
    expect(pool.settle(lease.leaseId)).toBe(false);
  });

  it('joins a command the broker delivers again while held to the one held: one lease, both deliveries acknowledged together', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    const [first, again] = [entry('a'), entry('a')];
    pool.offer(first);
    const [lease] = await pool.take(5, 0);
    pool.offer(again);
    expect(pool.size).toEqual({ ready: 0, leased: 1, polling: 0 });
    pool.settle(lease.leaseId);
    expect([first.acked, again.acked]).toEqual([1, 1]);
  });

  it('acknowledges at once, unleased, a command delivered again after it was settled here', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    pool.offer(entry('a'));
    pool.settleCommand('a');
    const late = entry('a');
    pool.offer(late);
    expect([late.acked, pool.size.ready, await pool.take(1, 0)]).toEqual([1, 0, []]);
  });

  it('hands a command over when its partition goes: waiting, returned unacknowledged; leased, acknowledged and never offered again', async () => {
    const pool = new CommandPool(40, offerAgain);
    const [leased, waiting] = [entry('a'), entry('b')];
    pool.offer(leased);
    const [lease] = await pool.take(1, 0);
    pool.offer(waiting);
    const gone = new Error('partition handed over');
    pool.handOver('b', gone);
    pool.handOver('a', gone);
    expect([waiting.returned, leased.acked, leased.returned]).toEqual([[gone], 1, []]);
    // Its worker still answers here; its lease running out offers it to no one (another consumer may read it again).
    expect(pool.get(lease.leaseId)).toBe(leased);
    await sleep(100);
    expect([pool.size, await pool.take(5, 0)]).toEqual([{ ready: 0, leased: 0, polling: 0 }, []]);
  });

  describe('with its clock faked', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('ends a first lease shortly after its command\'s deadline, not at the whole lease time; a renewal gets the whole time', async () => {
      const checked: string[] = [];
      const acknowledge: LeaseExpiryCheck = async (e) => {
        checked.push(e.commandId);
        return { action: 'acknowledge' };
      };
      const pool = new CommandPool(60_000, acknowledge);
      // A poller died with it: the next command of its run waits behind its acknowledgement.
      const soon = Object.assign(entry('soon'), { deadlineAt: Date.now() + 100 });
      pool.offer(soon);
      const [lease] = await pool.take(1, 0);
      // The poller is told the whole lease (it bounds its reply's retries); the check comes at the deadline plus the grace.
      expect(Date.parse(lease.leaseExpiresAt) - Date.now()).toBeGreaterThan(59_000);
      // The check is due 2.1 s after the lease: the deadline (100 ms) plus the grace (2 s).
      await jest.advanceTimersByTimeAsync(2_000);
      expect(checked).toEqual([]);
      await jest.advanceTimersByTimeAsync(200);
      expect([checked, soon.acked]).toEqual([['soon'], 1]);

      const later = Object.assign(entry('later'), { deadlineAt: Date.now() + 10 * 60_000 });
      pool.offer(later);
      expect(Date.parse((await pool.take(1, 0))[0].leaseExpiresAt) - Date.now()).toBeGreaterThan(59_000);
      const renewed = Object.assign(entry('renewed'), { deadlineAt: Date.now() + 100 });
      pool.offer(renewed);
      const [short] = await pool.take(1, 0);
      pool.renew(short.leaseId);
      await jest.advanceTimersByTimeAsync(2_500);
      expect([checked, renewed.acked]).toEqual([['soon'], 0]);
    });

    it('ends a renewal shortly after the deadline a heartbeat gave its attempt, when that comes before the lease time', async () => {
      const checked: string[] = [];
      const pool = new CommandPool(60_000, async (e) => {
        checked.push(e.commandId);
        return { action: 'acknowledge' };
      });
      const beaten = entry('beaten');
      pool.offer(beaten);
      const [lease] = await pool.take(1, 0);
      // Its worker's heartbeat moved the deadline 100 ms on, then the worker died.
      pool.renew(lease.leaseId, 100);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(checked).toEqual([]);
      await jest.advanceTimersByTimeAsync(200);
      expect([checked, beaten.acked]).toEqual([['beaten'], 1]);
    });
  });

  it('takes back leased commands at the front, in their order, for the next poller (their poll ended unread)', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    const [a, b, c] = [entry('a'), entry('b'), entry('c')];
    [a, b, c].forEach((e) => pool.offer(e));
    const taken = await pool.take(2, 0);
    pool.giveBack(taken.map((l) => l.leaseId));
    expect(pool.size).toEqual({ ready: 3, leased: 0, polling: 0 });
    expect((await pool.take(3, 0)).map((l) => l.command)).toEqual([{ commandId: 'a' }, { commandId: 'b' }, { commandId: 'c' }]);
    expect([a.acked, a.returned]).toEqual([0, []]);
  });

  it('takes a released lease of a command handed over meanwhile (a Kafka rebalance) without offering the command again', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    const e = entry('a');
    pool.offer(e);
    const [lease] = await pool.take(1, 0);
    pool.handOver('a', new Error('partition handed over'));
    const waiting = pool.take(1, 50);
    pool.giveBack([lease.leaseId]);
    expect([await waiting, pool.size, e.acked]).toEqual([[], { ready: 0, leased: 0, polling: 0 }, 1]);
  });

  it('gives a command whose lease expired to the next poller, and still settles it by its command id', async () => {
    const pool = new CommandPool(50, offerAgain);
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
    // Renewed every 50 ms against a 300 ms lease: a loaded CI machine delays timers by tens of ms.
    const pool = new CommandPool(300, offerAgain);
    pool.offer(entry('a'));
    const [lease] = await pool.take(1, 0);
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 50));
      expect(pool.renew(lease.leaseId)).toBeDefined();
    }
    pool.settle(lease.leaseId);
  });

  it('settles a command by its id wherever it went: under a later lease, or waiting', async () => {
    const pool = new CommandPool(50, offerAgain);
    const a = entry('a');
    const b = entry('b');
    pool.offer(a);
    const [first] = await pool.take(1, 0);
    await sleep(80);
    await pool.take(1, 0); // the expired command, leased again
    pool.offer(b);
    expect(pool.settle(first.leaseId)).toBe(false);
    expect(pool.settleCommand('a')).toBe(true);
    expect(pool.settleCommand('b')).toBe(true);
    expect(pool.settleCommand('c')).toBe(false);
    expect([a.acked, b.acked]).toEqual([1, 1]);
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });

  describe('when a lease expires', () => {
    function checked(action: LeaseExpiryAction, gate?: Promise<void>) {
      const calls: Array<{ commandId: string; leaseStartedAt: Date }> = [];
      const check: LeaseExpiryCheck = async (e, leaseStartedAt) => {
        calls.push({ commandId: e.commandId, leaseStartedAt });
        await gate;
        return { action };
      };
      return { calls, check };
    }

    it('acknowledges the command when the check finds its attempt over', async () => {
      const { calls, check } = checked('acknowledge');
      const pool = new CommandPool(40, check);
      const e = entry('a');
      pool.offer(e);
      await pool.take(1, 0);
      await sleep(80);
      expect(calls.map((c) => c.commandId)).toEqual(['a']);
      expect(e.acked).toBe(1);
      expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
    });

    it('renews the lease when the check finds a heartbeat, asking again at the next expiry about the renewed lease', async () => {
      const { calls, check } = checked('renew');
      const pool = new CommandPool(40, check);
      pool.offer(entry('a'));
      const [lease] = await pool.take(1, 0);
      await sleep(150);
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(calls[1].leaseStartedAt.getTime()).toBeGreaterThan(calls[0].leaseStartedAt.getTime());
      expect(pool.get(lease.leaseId)).toBeDefined();
      expect(await pool.take(1, 0)).toEqual([]);
      pool.settle(lease.leaseId);
    });

    it('offers the command again, first in line, when the check says so', async () => {
      const pool = new CommandPool(40, checked('offer-again').check);
      pool.offer(entry('a'));
      await pool.take(1, 0);
      pool.offer(entry('b'));
      await sleep(80);
      expect((await pool.take(2, 0)).map((l) => l.command)).toEqual([{ commandId: 'a' }, { commandId: 'b' }]);
    });

    it('lets a reply or a heartbeat that comes during the check win over it', async () => {
      let open!: () => void;
      const { calls, check } = checked('offer-again', new Promise((r) => (open = r)));
      const pool = new CommandPool(30, check);
      const settled = entry('a');
      pool.offer(settled);
      pool.offer(entry('b'));
      const [first, second] = await pool.take(2, 0);
      await sleep(50);
      expect(calls).toHaveLength(2); // both checks wait
      pool.settle(first.leaseId);
      pool.renew(second.leaseId);
      open();
      await sleep(5);
      expect(settled.acked).toBe(1);
      expect(pool.get(second.leaseId)).toBeDefined();
      expect(await pool.take(2, 0)).toEqual([]);
      pool.settle(second.leaseId);
    });
  });

  it('returns waiting commands unacknowledged on shutdown, and acknowledges leased ones, which their workers still run', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    const leased = entry('a');
    const ready = entry('b');
    pool.offer(leased);
    await pool.take(1, 0);
    pool.offer(ready);
    pool.releaseAll(new Error('shutting down'));
    expect([leased.acked, leased.returned]).toEqual([1, []]);
    expect([ready.acked, ready.returned.map((e) => e.message)]).toEqual([0, ['shutting down']]);
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });

  it('answers a poll waiting at shutdown, and one that comes after, at once with nothing', async () => {
    const pool = new CommandPool(60_000, offerAgain);
    const waiting = pool.take(1, 20_000);
    pool.releaseAll(new Error('shutting down'));
    expect(await waiting).toEqual([]);
    const started = Date.now();
    expect(await pool.take(1, 20_000)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });
});
