import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '../../../common/errors/infrastructure-error';
import { loadConfig } from '../../../config/load-config';
import { Metrics } from '../../../metrics/metrics';
import type { IncomingMessage } from '../../message';
import type { Subscription } from '../../message-consumer';
import { MemoryDriver } from './memory.driver';
import { HELD_LIMIT } from './held-queue';

/** Bounded: a condition that never holds fails the test instead of spinning past its timeout. */
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('MemoryDriver', () => {
  let driver: MemoryDriver;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    driver = new MemoryDriver(loadConfig({}), new Metrics());
  });
  afterEach(() => driver.close());

  it('gives the first group that subscribes what the topic held, like Kafka from the earliest offset', async () => {
    await driver.publish([{ topic: 't', key: 'k', body: Buffer.from('early') }]);
    const received: IncomingMessage[] = [];
    await driver.subscribe({ topic: 't', group: 'late', handler: async (m) => void received.push(m) });
    await until(() => received.length === 1);
    expect(received[0]).toMatchObject({ id: 't:0:0', key: 'k', deliveryAttempt: 1 });
  });

  it("reports a group's consumer as waiting while a handler retries a message through an outage, and no longer once it is handled", async () => {
    let down = true;
    let tries = 0;
    await driver.subscribe({ topic: 't', group: 'g', handler: async () => {
      tries++;
      if (down) throw new DependencyUnavailableError('database unreachable', undefined);
    } });
    expect(driver.consumers()).toEqual([{ topic: 't', group: 'g', state: 'running', backlog: { kind: 'unknown' } }]);
    await driver.publish([{ topic: 't', key: 'k', body: Buffer.from('reply') }]);
    await until(() => tries >= 2);
    expect(driver.consumers()).toEqual([expect.objectContaining({ state: 'running', waitingSince: expect.any(Date) })]);
    down = false;
    const handled = tries + 1;
    await until(() => tries >= handled);
    expect(driver.consumers()).toEqual([{ topic: 't', group: 'g', state: 'running', backlog: { kind: 'unknown' } }]);
  });

  it('refuses to publish once Baton stops: nothing would ever consume it, the outbox sends it after the restart', async () => {
    const received: string[] = [];
    await driver.subscribe({ topic: 't', group: 'g', handler: async (m) => void received.push(m.body.toString()) });
    driver.shuttingDown();
    await driver.stopAll();
    await expect(driver.publish([{ topic: 't', body: Buffer.from('late') }])).rejects.toThrow(DependencyUnavailableError);
    await driver.connect();
    await driver.subscribe({ topic: 't', group: 'g2', handler: async (m) => void received.push(m.body.toString()) });
    await driver.publish([{ topic: 't', body: Buffer.from('after') }]);
    await until(() => received.length === 1);
    expect(received).toEqual(['after']);
  });

  it('holds a bounded number of messages for a topic without a group', async () => {
    await driver.publish(Array.from({ length: HELD_LIMIT.messages + 5 }, (_, i) => ({ topic: 't', body: Buffer.from(String(i)) })));
    const received: string[] = [];
    await driver.subscribe({ topic: 't', group: 'late', handler: async (m) => void received.push(m.body.toString()) });
    await until(() => received.length === HELD_LIMIT.messages);
    expect(received[0]).toBe('5');
  });

  it('keeps nothing once a group exists: a group that subscribes later starts with what is published next', async () => {
    const first: string[] = [];
    await driver.subscribe({ topic: 't', group: 'first', handler: async (m) => void first.push(m.body.toString()) });
    await driver.publish([{ topic: 't', body: Buffer.from('old') }]);
    await until(() => first.length === 1);
    const late: string[] = [];
    await driver.subscribe({ topic: 't', group: 'late', handler: async (m) => void late.push(m.body.toString()) });
    await driver.publish([{ topic: 't', body: Buffer.from('new') }]);
    await until(() => first.length === 2 && late.includes('new'));
    expect(late).toEqual(['new']);
  });

  it('publish() resolves before any handler runs, and copies the message for each group', async () => {
    const bodies: Buffer[] = [];
    let ran = false;
    await driver.subscribe({ topic: 't', group: 'a', handler: async (m) => { ran = true; m.body[0] = 0; } });
    await driver.subscribe({ topic: 't', group: 'b', handler: async (m) => void bodies.push(m.body) });
    await driver.publish([{ topic: 't', body: Buffer.from('x') }]);
    expect(ran).toBe(false);
    await until(() => bodies.length === 1 && ran);
    expect(bodies[0].toString()).toBe('x');
  });

  it('rejects publishing once closed and reports itself disconnected', async () => {
    await driver.close();
    expect(driver.isConnected()).toBe(false);
    await expect(driver.publish([{ topic: 't', body: Buffer.alloc(0) }])).rejects.toThrow('closed');
  });

  describe('unsubscribe', () => {
    /** Holds every message until released, then gives it back as the HTTP worker hub does (an outage: not counted). */
    function holder(topic: string, group: string) {
      const releases: Array<() => void> = [];
      const subscription: Subscription = { topic, group, handler: () => new Promise<void>((_, reject) => {
        releases.push(() => reject(new DependencyUnavailableError('released', undefined)));
      }) };
      return { subscription, releaseAll: () => releases.splice(0).forEach((r) => r()), held: () => releases.length };
    }

    it('gives a consumer that subscribes while the last one is being removed what that one held, and what comes next', async () => {
      const old = holder('t', 'g');
      await driver.subscribe(old.subscription);
      await driver.publish([{ topic: 't', key: 'k', body: Buffer.from('m1') }]);
      await until(() => old.held() === 1);
      const stopped = driver.unsubscribe(old.subscription);
      const received: string[] = [];
      await driver.subscribe({ topic: 't', group: 'g', handler: async (m) => void received.push(m.body.toString()) });
      old.releaseAll();
      await stopped;
      await driver.publish([{ topic: 't', key: 'k2', body: Buffer.from('m2') }]);
      await until(() => received.length === 2);
      expect(received.sort()).toEqual(['m1', 'm2']);
      expect(driver.consumers()).toHaveLength(1);
    });

    it("keeps a key's order when one of two consumers goes: what it held goes to the other in place", async () => {
      const a = holder('t', 'g');
      const got: string[] = [];
      await driver.subscribe(a.subscription);
      await driver.subscribe({ topic: 't', group: 'g', handler: async (m) => void got.push(m.body.toString()) });
      const all = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'];
      await driver.publish(all.map((body) => ({ topic: 't', key: 'same', body: Buffer.from(body) })));
      await until(() => a.held() === 1);
      const stopped = driver.unsubscribe(a.subscription);
      a.releaseAll();
      await stopped;
      await until(() => got.length === all.length);
      expect(got).toEqual(all);
    });

    it('keeps what the last consumer held for the next one, in order', async () => {
      const a = holder('t', 'g');
      await driver.subscribe(a.subscription);
      await driver.publish(['m0', 'm1', 'm2'].map((body, i) => ({ topic: 't', key: `k${i}`, body: Buffer.from(body) })));
      await until(() => a.held() === 3);
      const stopped = driver.unsubscribe(a.subscription);
      a.releaseAll();
      await stopped;
      expect(driver.consumers()).toEqual([]);
      const got: string[] = [];
      await driver.subscribe({ topic: 't', group: 'g', handler: async (m) => void got.push(m.body.toString()) });
      await until(() => got.length === 3);
      expect(got).toEqual(['m0', 'm1', 'm2']);
    });

    it('drops the oldest messages of a group left without a consumer beyond its limit, counted, and keeps the rest for the next one', async () => {
      const metrics = new Metrics();
      await driver.close();
      driver = new MemoryDriver(loadConfig({}), metrics);
      const gone: Subscription = { topic: 't', group: 'g', handler: async () => undefined };
      await driver.subscribe(gone);
      await driver.unsubscribe(gone);
      await driver.publish(Array.from({ length: HELD_LIMIT.messages + 3 }, (_, i) => ({ topic: 't', key: `k${i}`, body: Buffer.from(String(i)) })));
      expect((await metrics.dropped.get()).values).toEqual([expect.objectContaining({ labels: { topic: 't' }, value: 3 })]);

      const got: string[] = [];
      await driver.subscribe({ topic: 't', group: 'g', handler: async (m) => void got.push(m.body.toString()) });
      await until(() => got.length === HELD_LIMIT.messages);
      expect([got[0], got.at(-1)]).toEqual(['3', String(HELD_LIMIT.messages + 2)]);
      // With a consumer, nothing is dropped however far it falls behind.
      await driver.publish(Array.from({ length: HELD_LIMIT.messages + 1 }, (_, i) => ({ topic: 't', body: Buffer.from(`late${i}`) })));
      await until(() => got.length === 2 * HELD_LIMIT.messages + 1);
      expect((await metrics.dropped.get()).values[0].value).toBe(3);
    });

    it('keeps no more bytes than its limit for no consumer: large commands bind before their count does', async () => {
      const big = Buffer.alloc(1024 * 1024);
      const count = HELD_LIMIT.bytes / big.length + 5;
      await driver.publish(Array.from({ length: count }, () => ({ topic: 'big', body: big })));
      let received = 0;
      await driver.subscribe({ topic: 'big', group: 'late', handler: async () => void received++ });
      await until(() => received === HELD_LIMIT.bytes / big.length);
      await new Promise((r) => setTimeout(r, 50));
      expect(received).toBe(HELD_LIMIT.bytes / big.length);
    });
  });
});
