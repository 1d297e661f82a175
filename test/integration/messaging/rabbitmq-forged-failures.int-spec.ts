import { Logger } from '@nestjs/common';
import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../src/config/load-config';
import { deadLetterTopicOf, type IncomingMessage } from '../../../src/messaging/message';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

const MAX_DELIVERIES = 3;

/**
 * The driver counts failures in a header it republishes, and any publisher can set that header.
 * `"x"` made the count NaN, which never reached the limit and could not be republished: the
 * message was requeued at once, forever (1,697 handler runs in 3 s); a negative count bought a
 * billion retries. Either must get the normal number of attempts and then be dead-lettered.
 */
describe('a message with a forged x-baton-failures header (real RabbitMQ)', () => {
  let driver: MessagingDriver;
  const exchange = `forged-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    const config = loadConfig({
      MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url, RABBITMQ_EXCHANGE: exchange, MESSAGING_MAX_DELIVERIES: String(MAX_DELIVERIES),
    });
    driver = createMessagingDriver(config, new Metrics());
    await driver.connect();
  });
  afterAll(async () => {
    await driver?.stopAll();
    await driver?.close();
  });

  it.each([['x'], [-1_000_000_000]])('with %p is dead-lettered after the normal number of attempts', async (forged) => {
    const topic = `forged.${randomBytes(4).toString('hex')}`;
    let runs = 0;
    const dead: IncomingMessage[] = [];
    await driver.subscribe({ topic, group: 'g', handler: async () => {
      runs++;
      throw new Error('always fails');
    } });
    await driver.subscribe({ topic: deadLetterTopicOf(topic), group: 'g-dlq', handler: async (m) => void dead.push(m) });

    const publisher = await amqp.connect(url!);
    try {
      const channel = await publisher.createConfirmChannel();
      channel.publish(exchange, topic, Buffer.from('forged'), { headers: { 'x-baton-failures': forged } });
      await channel.waitForConfirms();
    } finally {
      await publisher.close();
    }

    await expectEventually(() => expect(dead).toHaveLength(1), { timeoutMs: 20_000 });
    expect(dead[0].body.toString()).toBe('forged');
    expect(dead[0].headers['x-delivery-attempts']).toBe(String(MAX_DELIVERIES));
    expect(dead[0].headers['x-dead-letter-reason']).toBe('always fails');
    // Nothing keeps redelivering it behind the dead letter.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(runs).toBe(MAX_DELIVERIES);
  });
});
