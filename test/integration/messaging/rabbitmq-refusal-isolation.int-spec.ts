import 'reflect-metadata';
import * as amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../../src/config/load-config';
import { PoisonMessageError, type IncomingMessage } from '../../../src/messaging/message';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';
import { restrictedVhost, type RestrictedVhost } from '../../helpers/rabbitmq-restricted-vhost';

/**
 * RabbitMQ closes a channel for a message it refuses and fails every confirm still open on it
 * with the same reason. The outbox's publishes and each consumer's redeliveries and dead letters
 * go on channels of their own, a consumer's one at a time: a refusal fails no other publish. On
 * one shared channel, a refused outbox row dead-lettered a message whose redelivery it failed
 * twice, and a refused dead letter failed outbox publishes that were allowed.
 */
describe('a message RabbitMQ refuses fails no other publish (real RabbitMQ)', () => {
  const suffix = randomBytes(4).toString('hex');
  const group = `isolation-${suffix}`;
  const metrics = new Metrics();
  let vhost: RestrictedVhost;
  let driver: MessagingDriver;
  let check: amqp.ChannelModel;
  let sender: amqp.ConfirmChannel;

  beforeAll(async () => {
    // Any topic but forbidden.*, any dead letter but refused.*'s (Erlang's re: a lookahead).
    vhost = await restrictedVhost('isolation', '.*', { baton: '^(?!forbidden\\.).*', 'baton.dlx': '^(?!refused\\.).*' });
    driver = createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: vhost.url }), metrics);
    await driver.connect();
    check = await amqp.connect(vhost.url);
    sender = await check.createConfirmChannel();
  }, 60_000);

  afterAll(async () => {
    await driver?.close();
    await check?.close().catch(() => undefined);
    await vhost?.remove();
  }, 60_000);

  const count = async (counter: 'redelivered' | 'deadLettered' | 'deadLettersLost', topic: string) =>
    (await metrics[counter].get()).values.find((v) => v.labels.topic === topic)?.value ?? 0;
  const ended = async (topic: string) => await count('deadLettered', topic) + await count('deadLettersLost', topic);
  const send = async (topic: string, bodies: string[]) => {
    for (const body of bodies) sender.publish('baton', topic, Buffer.from(body), { persistent: true });
    await sender.waitForConfirms();
  };
  const named = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  /** Fails each message's first attempt only: redelivered once, then handled. */
  function flaky(topic: string) {
    const handled = new Set<string>();
    return {
      handled,
      subscription: {
        topic, group, handler: async (m: IncomingMessage) => {
          if (m.deliveryAttempt === 1) throw new Error('fails once, to be redelivered');
          handled.add(m.body.toString());
        },
      },
    };
  }
  const poison = (topic: string) => ({ topic, group, handler: async () => {
    throw new PoisonMessageError('cannot be handled');
  } });

  /** Runs `publish` from `lanes` loops at once until `done` resolves; resolves to the publishes' failures. */
  async function keepPublishing(lanes: number, publish: () => Promise<void>, done: Promise<unknown>): Promise<unknown[]> {
    const failures: unknown[] = [];
    let running = true;
    void done.finally(() => {
      running = false;
    });
    await Promise.all(Array.from({ length: lanes }, async () => {
      while (running) await publish().catch((error: unknown) => failures.push(error));
    }));
    return failures;
  }

  it("fails none of the consumers' redeliveries and dead letters with an outbox publish the broker refuses", async () => {
    const retried = flaky('allowed.flaky');
    const poisoned = poison('allowed.poison');
    await driver.subscribe(retried.subscription);
    await driver.subscribe(poisoned);
    const n = 100;
    try {
      const settled = (async () => {
        await sleep(50); // the refusals are under way
        await send('allowed.flaky', named('flaky', n));
        await send('allowed.poison', named('poison', n));
        // Each first failure ends once: redelivered, or (its redelivery refused) dead-lettered or lost.
        await expectEventually(async () => {
          expect(await ended('allowed.flaky') + await count('redelivered', 'allowed.flaky')).toBe(n);
          expect(await ended('allowed.poison')).toBe(n);
        }, { timeoutMs: 30_000, intervalMs: 50 });
      })();
      const refusals = await keepPublishing(4, () => driver.publish([{ topic: 'forbidden.x', body: Buffer.from('refused'), headers: {} }]), settled);
      await settled;
      expect(refusals.length).toBeGreaterThan(0);
      // None was failed with a refused row, and its message dead-lettered for it.
      expect(await count('redelivered', 'allowed.flaky')).toBe(n);
      await expectEventually(() => expect(retried.handled.size).toBe(n));
      expect(await count('deadLettered', 'allowed.poison')).toBe(n);
      expect(await count('deadLettersLost', 'allowed.poison')).toBe(0);
    } finally {
      await driver.unsubscribe(retried.subscription);
      await driver.unsubscribe(poisoned);
    }
  }, 60_000);

  it('fails no outbox publish with a dead letter the broker refuses', async () => {
    const poisoned = poison('refused.poison');
    await driver.subscribe(poisoned);
    const n = 50;
    try {
      const settled = (async () => {
        await send('refused.poison', named('poison', n));
        // Each letter is refused three times, a second apart, then counted lost.
        await expectEventually(async () => expect(await count('deadLettersLost', 'refused.poison')).toBe(n), { timeoutMs: 30_000, intervalMs: 50 });
      })();
      const failures = await keepPublishing(4, () => driver.publish([{ topic: 'allowed.outbox', body: Buffer.from('allowed'), headers: {} }]), settled);
      await settled;
      expect(failures.map(String)).toEqual([]);
    } finally {
      await driver.unsubscribe(poisoned);
    }
  }, 60_000);

  it('fails no redelivery of a consumer with a dead letter of its own the broker refuses', async () => {
    const topic = 'refused.mixed';
    const handled = new Set<string>();
    const mixed = { topic, group, handler: async (m: IncomingMessage) => {
      const body = m.body.toString();
      if (body.startsWith('poison')) throw new PoisonMessageError('cannot be handled');
      if (m.deliveryAttempt <= 3) throw new Error('fails three times, to be redelivered');
      handled.add(body);
    } };
    await driver.subscribe(mixed);
    const [flakyCount, poisonCount] = [60, 300];
    try {
      // Flaky messages amid a stream of poison ones: their letters are refused while the redeliveries go.
      for (let i = 0; i < flakyCount + poisonCount; i++) {
        await send(topic, [i % 6 === 0 ? `flaky-${i}` : `poison-${i}`]);
        await sleep(2); // a stream, not one burst: refusals keep coming for the redeliveries to meet
      }
      // A poison message's letter is refused, so lost; a flaky one is handled, or lost if a redelivery was failed.
      const all = flakyCount + poisonCount;
      await expectEventually(async () => expect(handled.size + await count('deadLettersLost', topic)).toBeGreaterThanOrEqual(all), { timeoutMs: 30_000, intervalMs: 50 });
      expect(await count('deadLettersLost', topic)).toBe(poisonCount);
      expect(handled.size).toBe(flakyCount);
      expect(await count('redelivered', topic)).toBe(3 * flakyCount);
    } finally {
      await driver.unsubscribe(mixed);
    }
  }, 60_000);
});
