import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { DependencyUnavailableError } from '../../../src/common/errors/infrastructure-error';
import type { AppConfig } from '../../../src/config/app-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import {
  deadLetterTopicOf, IncomingMessage, MessageHandler, OutgoingMessage, PoisonMessageError,
} from '../../../src/messaging/message';
import type { Subscription } from '../../../src/messaging/message-consumer';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { OutboxRelay } from '../../../src/messaging/outbox/outbox-relay.service';
import { OutboxService } from '../../../src/messaging/outbox/outbox.service';
import { createRelayPresence } from '../../../src/messaging/outbox/relay-presence.factory';
import { Metrics } from '../../../src/metrics/metrics';
import type { BrokerControls } from '../../helpers/broker-control';
import { expectEventually } from '../../helpers/expect-eventually';
import { freshDatabase } from '../../helpers/postgres';

/** Settings for the driver under test; overrides are environment variables, validated as in production. */
export type MakeConfig = (overrides?: Record<string, string>) => AppConfig;

const MAX_DELIVERIES = 3;

function uniqueNames() {
  const id = randomBytes(4).toString('hex');
  return { topic: `contract.${id}`, group: `g${id}` };
}

function message(topic: string, body: string, key?: string, headers?: Record<string, string>): OutgoingMessage {
  return { topic, key, headers, body: Buffer.from(body) };
}

function collector() {
  const received: IncomingMessage[] = [];
  const handler: MessageHandler = async (m) => {
    received.push(m);
  };
  return { received, handler, bodies: () => received.map((m) => m.body.toString()) };
}

/**
 * The behaviour every driver promises, run unchanged against memory, Kafka and RabbitMQ. With
 * `controls` (real servers only) it also stops and restarts the broker.
 */
export function describeBrokerContract(driverName: string, makeConfig: MakeConfig, controls?: BrokerControls): void {
  describe(`broker contract: ${driverName}`, () => {
    // Real brokers need a moment to create topics, join groups and rebalance.
    const timeoutMs = driverName === 'memory' ? 5000 : 30_000;
    let driver: MessagingDriver;

    beforeAll(async () => {
      Logger.overrideLogger(['error']);
      driver = createMessagingDriver(makeConfig({ MESSAGING_MAX_DELIVERIES: String(MAX_DELIVERIES) }), new Metrics());
      await driver.connect();
    });
    afterEach(() => driver.stopAll());
    afterAll(() => driver?.close());

    it('delivers key, headers and body bytes intact, with an id', async () => {
      const { topic, group } = uniqueNames();
      const { received, handler } = collector();
      await driver.subscribe({ topic, group, handler });
      const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await driver.publish([
        { topic, key: 'key-1', headers: { 'x-message-id': 'id-1', 'x-custom': 'välue' }, body },
        message(topic, 'no id, no key'),
      ]);
      await expectEventually(() => expect(received).toHaveLength(2), { timeoutMs });
      const first = received.find((m) => m.id === 'id-1')!;
      expect(first).toMatchObject({ topic, key: 'key-1', deliveryAttempt: 1 });
      expect(first.headers).toMatchObject({ 'x-message-id': 'id-1', 'x-custom': 'välue' });
      expect(first.body.equals(body)).toBe(true);
      const second = received.find((m) => m !== first)!;
      expect(second).toMatchObject({ topic, key: undefined, deliveryAttempt: 1 });
      expect(second.id).toMatch(/.+/);
      expect(second.body.toString()).toBe('no id, no key');
    });

    it('keeps each key in order while handling different keys concurrently', async () => {
      const { topic, group } = uniqueNames();
      const seen = new Map<string, number[]>();
      let inFlight = 0;
      let peak = 0;
      await driver.subscribe({
        topic, group, handler: async (m) => {
          peak = Math.max(peak, ++inFlight);
          await sleep(Math.random() * 2);
          const [key, n] = m.body.toString().split(':');
          seen.set(key, [...(seen.get(key) ?? []), Number(n)]);
          inFlight--;
        },
      });
      for (let start = 0; start < 200; start += 20) {
        await driver.publish(Array.from({ length: 20 }, (_, i) => {
          const n = start + i;
          return message(topic, `k${n % 5}:${n}`, `k${n % 5}`);
        }));
      }
      await expectEventually(() => expect([...seen.values()].flat()).toHaveLength(200), { timeoutMs });
      for (const [key, numbers] of seen) {
        expect({ key, numbers }).toEqual({ key, numbers: [...numbers].sort((a, b) => a - b) });
      }
      expect(seen.size).toBe(5);
      expect(peak).toBeGreaterThan(1);
    });

    it('redelivers a message whose handler failed, counting the attempt', async () => {
      const { topic, group } = uniqueNames();
      const attempts: Array<[string, number]> = [];
      await driver.subscribe({
        topic, group, handler: async (m) => {
          attempts.push([m.id, m.deliveryAttempt]);
          if (m.deliveryAttempt === 1) throw new Error('transient');
        },
      });
      await driver.publish([message(topic, 'retry me', 'k', { 'x-message-id': 'r-1' })]);
      await expectEventually(() => expect(attempts).toEqual([['r-1', 1], ['r-1', 2]]), { timeoutMs });
    });

    it(`dead-letters after ${MAX_DELIVERIES} failed deliveries, with the reason, and moves on`, async () => {
      const { topic, group } = uniqueNames();
      const dead = collector();
      await driver.subscribe({ topic: deadLetterTopicOf(topic), group: `${group}-dlq`, handler: dead.handler });
      const attempts: number[] = [];
      const handled: string[] = [];
      await driver.subscribe({
        topic, group, handler: async (m) => {
          if (m.body.toString() !== 'poison') return void handled.push(m.body.toString());
          attempts.push(m.deliveryAttempt);
          throw new Error('cannot handle');
        },
      });
      await driver.publish([
        message(topic, 'poison', 'k', { 'x-message-id': 'p-1', extra: 'kept' }),
        message(topic, 'next', 'k'),
      ]);
      await expectEventually(() => {
        expect(dead.received).toHaveLength(1);
        expect(handled).toEqual(['next']);
      }, { timeoutMs });
      expect(attempts).toEqual([1, 2, 3]);
      const [letter] = dead.received;
      expect(letter.headers).toMatchObject({
        'x-dead-letter-reason': 'cannot handle', 'x-original-topic': topic, 'x-delivery-attempts': '3',
        'x-message-id': 'p-1', extra: 'kept',
      });
      expect(letter).toMatchObject({ topic: deadLetterTopicOf(topic), key: 'k', deliveryAttempt: 1 });
      expect(letter.body.toString()).toBe('poison');
    });

    it('dead-letters at once when the handler throws PoisonMessageError', async () => {
      const { topic, group } = uniqueNames();
      const dead = collector();
      await driver.subscribe({ topic: deadLetterTopicOf(topic), group: `${group}-dlq`, handler: dead.handler });
      const attempts: number[] = [];
      await driver.subscribe({
        topic, group, handler: async (m) => {
          attempts.push(m.deliveryAttempt);
          throw new PoisonMessageError('unparseable');
        },
      });
      await driver.publish([message(topic, '{not json')]);
      await expectEventually(() => expect(dead.received).toHaveLength(1), { timeoutMs });
      expect(attempts).toEqual([1]);
      expect(dead.received[0].headers).toMatchObject({ 'x-dead-letter-reason': 'unparseable', 'x-delivery-attempts': '1' });
    });

    it('waits out an unreachable database without counting or dead-lettering, then applies the message', async () => {
      const { topic, group } = uniqueNames();
      const dead = collector();
      await driver.subscribe({ topic: deadLetterTopicOf(topic), group: `${group}-dlq`, handler: dead.handler });
      const attempts: number[] = [];
      const applied: string[] = [];
      await driver.subscribe({
        topic, group, handler: async (m) => {
          attempts.push(m.deliveryAttempt);
          // More outage failures than the dead-letter limit: none of them may count.
          if (attempts.length <= MAX_DELIVERIES + 1) {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          }
          applied.push(m.body.toString());
        },
      });
      await driver.publish([message(topic, 'reply during outage', 'k')]);
      await expectEventually(() => expect(applied).toEqual(['reply during outage']), { timeoutMs });
      expect(new Set(attempts)).toEqual(new Set([1]));
      expect(dead.received).toHaveLength(0);
    });

    it('starts a new group at the latest position when asked: old requests are not replayed', async () => {
      const { topic, group } = uniqueNames();
      const warmup = collector(); // makes the topic exist and hold messages, as an old deployment leaves it
      await driver.subscribe({ topic, group: `${group}-old`, handler: warmup.handler });
      await driver.publish([message(topic, 'old-1'), message(topic, 'old-2')]);
      await expectEventually(() => expect(warmup.received).toHaveLength(2), { timeoutMs });
      const fresh = collector();
      await driver.subscribe({ topic, group, handler: fresh.handler, startAt: 'latest' });
      // Kafka resolves the latest offset on the first fetch after the join: publish until one arrives.
      await expectEventually(async () => {
        await driver.publish([message(topic, 'new')]);
        await sleep(200);
        expect(fresh.bodies()).toContain('new');
      }, { timeoutMs });
      expect(fresh.bodies().filter((b) => b.startsWith('old'))).toEqual([]);
    });

    it('hands unacknowledged messages to the next consumer after stopAll, losing none', async () => {
      const { topic, group } = uniqueNames();
      const first: string[] = [];
      await driver.subscribe({
        topic, group, handler: async (m) => {
          first.push(m.body.toString());
          await sleep(20);
        },
      });
      const all = Array.from({ length: 20 }, (_, i) => `m${i}`);
      await driver.publish(all.map((body) => message(topic, body, 'one-key')));
      await expectEventually(() => expect(first.length).toBeGreaterThanOrEqual(3), { timeoutMs });
      await driver.stopAll(); // lets the running handler finish
      const handledBeforeStop = first.length;
      expect(handledBeforeStop).toBeLessThan(20);

      const whileStopped = ['s0', 's1', 's2'];
      await driver.publish(whileStopped.map((body) => message(topic, body, 'one-key')));
      const second = collector();
      await driver.subscribe({ topic, group, handler: second.handler });
      await expectEventually(() => {
        expect(new Set([...first, ...second.bodies()])).toEqual(new Set([...all, ...whileStopped]));
      }, { timeoutMs });
      expect(first).toHaveLength(handledBeforeStop);
      // What the first consumer finished, the handler running at stopAll included, was acknowledged.
      expect(second.bodies().filter((body) => first.includes(body))).toEqual([]);
      expect(second.bodies().slice(-3)).toEqual(whileStopped);
    });

    it("hands what one consumer holds to the group's other consumer when it unsubscribes, and delivers it nothing more", async () => {
      const { topic, group } = uniqueNames();
      const held: Array<{ body: string; release: () => void }> = [];
      // Holds each message until released, then gives it back as Baton's HTTP worker hub does (an outage: not counted).
      const holder: Subscription = {
        topic, group, handler: (m) => new Promise<void>((_, reject) => {
          held.push({ body: m.body.toString(), release: () => reject(new DependencyUnavailableError('released', undefined)) });
        }),
      };
      const other = collector();
      await driver.subscribe(holder);
      await driver.subscribe({ topic, group, handler: other.handler });
      await expectEventually(() => {
        expect(driver.consumers().filter((c) => c.topic === topic && c.state === 'running')).toHaveLength(2);
      }, { timeoutMs });
      const all = Array.from({ length: 12 }, (_, i) => `m${i}`);
      await driver.publish(all.map((body) => message(topic, body, body)));
      await expectEventually(() => expect(held.length + other.received.length).toBe(12), { timeoutMs });
      expect(held.length).toBeGreaterThan(0);
      const heldBodies = held.map((h) => h.body);

      const stopped = driver.unsubscribe(holder);
      for (const h of held) h.release();
      await stopped;
      await expectEventually(() => expect(new Set(other.bodies())).toEqual(new Set(all)), { timeoutMs });
      expect(held.map((h) => h.body)).toEqual(heldBodies);
      expect(driver.consumers().filter((c) => c.topic === topic)).toHaveLength(1);
    });

    it("shares a group's messages between its consumers, each message to exactly one", async () => {
      const { topic, group } = uniqueNames();
      const a = collector();
      const b = collector();
      const slow = (handler: MessageHandler): MessageHandler => async (m) => {
        await sleep(1);
        await handler(m);
      };
      await driver.subscribe({ topic, group, handler: slow(a.handler) });
      await driver.subscribe({ topic, group, handler: slow(b.handler) });
      await expectEventually(() => {
        expect(driver.consumers().filter((c) => c.topic === topic && c.state === 'running')).toHaveLength(2);
      }, { timeoutMs });
      const all = Array.from({ length: 60 }, (_, i) => `m${i}`);
      await driver.publish(all.map((body) => message(topic, body, body)));
      await expectEventually(() => expect(a.received.length + b.received.length).toBe(60), { timeoutMs });
      expect(new Set([...a.bodies(), ...b.bodies()])).toEqual(new Set(all));
      expect(a.received.length).toBeGreaterThan(0);
      expect(b.received.length).toBeGreaterThan(0);
    });

    if (controls) describeRestarts(() => driver, makeConfig, controls);
  });
}

/** Stops the real server: publishing must fail fast, and everything must come back on its own. */
function describeRestarts(driverOf: () => MessagingDriver, makeConfig: MakeConfig, controls: BrokerControls): void {
  const timeoutMs = 90_000;

  async function withBrokerStopped(during: () => Promise<void>): Promise<void> {
    await controls.stop();
    try {
      await during();
    } finally {
      await controls.start();
    }
  }

  it('rejects publishing while the broker is down, then reconnects publisher and consumers', async () => {
    const driver = driverOf();
    const { topic, group } = uniqueNames();
    const { handler, bodies } = collector();
    await driver.subscribe({ topic, group, handler });
    await driver.publish([message(topic, 'before')]);
    await expectEventually(() => expect(bodies()).toContain('before'), { timeoutMs });

    await withBrokerStopped(async () => {
      await expect(driver.publish([message(topic, 'during')])).rejects.toThrow();
      await expectEventually(() => expect(driver.isConnected()).toBe(false), { timeoutMs });
    });

    await expectEventually(() => driver.publish([message(topic, 'after')]), { timeoutMs, intervalMs: 500 });
    await expectEventually(() => expect(bodies()).toContain('after'), { timeoutMs });
    await expectEventually(() => {
      expect(driver.isConnected()).toBe(true);
      expect(driver.consumers().find((c) => c.topic === topic)?.state).toBe('running');
    }, { timeoutMs });
  });

  describe('through the outbox', () => {
    let drop: () => Promise<void>;
    let dataSource: DataSource;
    let relay: OutboxRelay;

    beforeAll(async () => {
      const db = await freshDatabase();
      drop = db.drop;
      const config = makeConfig({ DATABASE_URL: db.url, OUTBOX_POLL_MS: '100' });
      dataSource = await new DataSource(dataSourceOptions(config)).initialize();
      relay = new OutboxRelay(dataSource, driverOf(), config, new Metrics(), createRelayPresence(dataSource, config));
      relay.start();
    });
    afterAll(async () => {
      await relay?.stop();
      await dataSource?.destroy();
      await drop?.();
    });

    it('publishes what was committed while the broker was down once it is back, each key in order', async () => {
      const driver = driverOf();
      const { topic, group } = uniqueNames();
      const { received, handler } = collector();
      await driver.subscribe({ topic, group, handler });
      const outbox = new OutboxService(makeConfig());

      await withBrokerStopped(async () => {
        for (let tx = 0; tx < 3; tx++) {
          const records = await dataSource.transaction((m) => outbox.append(m, Array.from({ length: 10 }, (_, i) => {
            const n = tx * 10 + i;
            return message(topic, `k${n % 3}:${n}`, `k${n % 3}`);
          })));
          await relay.publishNow(records); // fails: the rows stay for the sweep
        }
        const [{ unsent }] = await dataSource.query('SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL');
        expect(unsent).toBe(30);
      });

      await expectEventually(() => expect(new Set(received.map((m) => m.id)).size).toBe(30), { timeoutMs });
      const byKey = new Map<string, number[]>();
      for (const m of received) {
        const [key, n] = m.body.toString().split(':');
        const seen = byKey.get(key) ?? [];
        if (!seen.includes(Number(n))) byKey.set(key, [...seen, Number(n)]);
      }
      for (const numbers of byKey.values()) expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
      await expectEventually(async () => expect((await relay.backlog()).count).toBe(0), { timeoutMs });
    });
  });
}
