import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import * as amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../src/config/load-config';
import { isPublishOutage } from '../../../src/messaging/delivery/publish-outage';
import {
  DEAD_LETTER_REASON_HEADER, DELIVERY_ATTEMPTS_HEADER, PoisonMessageError, type IncomingMessage, type OutgoingMessage,
} from '../../../src/messaging/message';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import type { OutboxRecord } from '../../../src/messaging/outbox/outbox.service';
import { isolateRefusals } from '../../../src/messaging/outbox/refused-rows';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';
import { restrictedVhost, type RestrictedVhost } from '../../helpers/rabbitmq-restricted-vhost';

/**
 * A message RabbitMQ refuses (here a routing key outside Baton's topic permissions: 403
 * ACCESS_REFUSED) closes the publishing channel, and amqplib fails every confirm on it with a bare
 * "channel closed". The driver gives the broker's reason as the cause and publishes on a new channel
 * at once, so the outbox tells the refused row from an outage and sends the rest without it.
 */
describe('a message RabbitMQ refuses (real RabbitMQ)', () => {
  const suffix = randomBytes(4).toString('hex');
  const metrics = new Metrics();
  let vhost: RestrictedVhost;
  let driver: MessagingDriver;
  let check: amqp.ChannelModel;
  let queue: string;

  const message = (topic: string, text: string): OutgoingMessage => ({ topic, body: Buffer.from(text), headers: {} });
  const record = (id: number, topic: string): OutboxRecord => ({
    id: String(id), messageId: `m-${id}`, topic, key: `k-${id}`, headers: {}, body: Buffer.from(`row ${id}`), delayed: false, expiresAt: null,
  });
  const toMessages = (rows: OutboxRecord[]) => rows.map((r) => ({ topic: r.topic, key: r.key ?? undefined, headers: r.headers, body: r.body }));

  beforeAll(async () => {
    // Write on anything but the default exchange, which a redelivery goes through; any routing key
    // but forbidden.* (Erlang's re: a lookahead); no dead letter but allowed.letter's (each other is
    // refused, whole and cut).
    vhost = await restrictedVhost('refusal', '^(?!amq\\.default$).*', { baton: '^(?!forbidden\\.).*', 'baton.dlx': '^allowed\\.letter\\.DLQ$' });
    driver = createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: vhost.url }), metrics);
    await driver.connect();
    check = await amqp.connect(vhost.url);
    const channel = await check.createChannel();
    queue = (await channel.assertQueue('', { exclusive: true })).queue;
    await channel.bindQueue(queue, 'baton', 'allowed.#');
  }, 60_000);

  afterAll(async () => {
    await driver?.close();
    await check?.close().catch(() => undefined);
    await vhost?.remove();
  }, 60_000);

  const received = async () => (await (await check.createChannel()).checkQueue(queue)).messageCount;

  it('fails the publish as a refusal, not an outage, and publishes the next message at once on the same connection', async () => {
    const error = await driver.publish([message('allowed.a', 'first'), message('forbidden.x', 'refused'), message('allowed.b', 'after')]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeDefined();
    expect(String((error as Error).message)).toMatch(/ACCESS_REFUSED/);
    expect(isPublishOutage(error)).toBe(false);
    // Without a new channel, this met "RabbitMQ is not connected" until the whole connection recovered.
    await expect(driver.publish([message('allowed.c', 'next')])).resolves.toBeUndefined();
    expect(driver.isConnected()).toBe(true);
  });

  it("lets the outbox's isolation send every other row and set the refused one apart", async () => {
    const before = await received();
    const rows = [record(1, 'allowed.one'), record(2, 'forbidden.two'), record(3, 'allowed.three'), record(4, 'allowed.four')];
    const publish = (some: OutboxRecord[]) => driver.publish(toMessages(some));
    const batchError = await publish(rows).then(() => undefined, (e: unknown) => e);
    expect(isPublishOutage(batchError)).toBe(false);
    const isolation = await isolateRefusals(rows, batchError, publish);
    expect(isolation.outage).toBeUndefined();
    expect(isolation.refused.map((r) => r.record.id)).toEqual(['2']);
    expect(isolation.sent.map((r) => r.id).sort()).toEqual(['1', '3', '4']);
    expect(await received()).toBeGreaterThanOrEqual(before + 3);
  });

  const lost = async () => (await metrics.deadLettersLost.get()).values.reduce((sum, v) => sum + v.value, 0);

  /**
   * Consumes `topic` with a handler that throws `failure`, sends it one message, and waits until
   * the message's dead letter was given up as lost; resolves to the handler's attempts. The
   * message goes from a channel of its own: a refusal closes the driver's channel, failing every
   * confirm still open on it.
   */
  async function lostAfterFailing(topic: string, failure: () => Error): Promise<IncomingMessage[]> {
    const lostBefore = await lost();
    const attempts: IncomingMessage[] = [];
    const subscription = {
      topic, group: `refusal-${suffix}`,
      handler: async (m: IncomingMessage) => {
        attempts.push(m);
        throw failure();
      },
    };
    await driver.subscribe(subscription);
    try {
      const sender = await check.createConfirmChannel();
      sender.publish('baton', topic, Buffer.from(topic), { persistent: true });
      await sender.waitForConfirms();
      await expectEventually(async () => expect(await lost()).toBe(lostBefore + 1), { timeoutMs: 20_000 });
      const queued = await (await check.createChannel()).checkQueue(`refusal-${suffix}.${topic}`);
      expect(queued.messageCount).toBe(0);
      return attempts;
    } finally {
      await driver.unsubscribe(subscription);
    }
  }

  it('gives up a dead letter the broker refuses whole and cut, counted as lost, instead of requeueing its message for ever', async () => {
    // Requeued, it came back at once and failed again, without end.
    expect(await lostAfterFailing('allowed.poison', () => new PoisonMessageError('cannot be handled'))).toHaveLength(1);
  }, 40_000);

  it('dead-letters a message whose redelivery the broker refuses, instead of requeueing it to fail again for ever', async () => {
    // Its dead letter is refused too (no topic may be written on the dead-letter exchange): given up, counted.
    expect(await lostAfterFailing('allowed.flaky', () => new Error('fails, to be redelivered'))).toHaveLength(1);
  }, 40_000);
  it('dead-letters a message whose redelivery the broker refuses at once: the refusal is its own, the redelivery is not sent again', async () => {
    const topic = 'allowed.letter';
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const attempts: IncomingMessage[] = [];
    const subscription = { topic, group: `refusal-${suffix}`, handler: async (m: IncomingMessage) => {
      attempts.push(m);
      throw new Error('fails, to be redelivered');
    } };
    await driver.subscribe(subscription);
    try {
      const sender = await check.createConfirmChannel();
      sender.publish('baton', topic, Buffer.from('to be dead-lettered'), { persistent: true });
      await sender.waitForConfirms();
      const reader = await check.createChannel();
      const letter = await expectEventually(async () => {
        const got = await reader.get(`${topic}.DLQ`, { noAck: true });
        expect(got).not.toBe(false);
        return got as amqp.GetMessage;
      }, { timeoutMs: 20_000 });
      expect(letter.content.toString()).toBe('to be dead-lettered');
      expect(String(letter.properties.headers?.[DEAD_LETTER_REASON_HEADER])).toMatch(/redelivery was refused by the broker .*ACCESS_REFUSED/);
      expect(String(letter.properties.headers?.[DELIVERY_ATTEMPTS_HEADER])).toBe('1');
      expect(attempts).toHaveLength(1);
      expect((await reader.checkQueue(`refusal-${suffix}.${topic}`)).messageCount).toBe(0);
      // The broker refused one write to the default exchange: the redelivery was not tried twice.
      const refusals = warn.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('Publishing channel') && line.includes("'amq.default'"));
      expect(refusals).toHaveLength(1);
    } finally {
      warn.mockRestore();
      await driver.unsubscribe(subscription);
    }
  }, 40_000);
});
