import '../../helpers/raw-amqp-headers'; // first: it patches amqplib's encoder before amqplib loads
import { Logger } from '@nestjs/common';
import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../src/config/load-config';
import { deadLetterTopicOf, type IncomingMessage } from '../../../src/messaging/message';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';
import { nestedFieldTable, RAW_HEADERS } from '../../helpers/raw-amqp-headers';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/**
 * Headers are the publisher's. amqplib decodes them recursively inside its frame parser, so a
 * header nested 8,000 deep (56 KB, well under a frame) overflowed the stack there and closed the
 * connection; RabbitMQ requeued the message, and every reconnect met it again: any user allowed
 * to publish on a topic Baton consumes stopped all of Baton's RabbitMQ traffic for good.
 */
describe('a message with headers amqplib cannot decode (real RabbitMQ)', () => {
  let driver: MessagingDriver;
  const exchange = `hostile-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    driver = createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url, RABBITMQ_EXCHANGE: exchange }), new Metrics());
    await driver.connect();
  });
  afterAll(async () => {
    await driver?.stopAll();
    await driver?.close();
  });

  it('is dead-lettered with the reason, and the messages after it are handled on the same connection', async () => {
    const topic = `hostile.${randomBytes(4).toString('hex')}`;
    const handled: IncomingMessage[] = [];
    const dead: IncomingMessage[] = [];
    await driver.subscribe({ topic, group: 'g', handler: async (m) => void handled.push(m) });
    await driver.subscribe({ topic: deadLetterTopicOf(topic), group: 'g-dlq', handler: async (m) => void dead.push(m) });

    const publisher = await amqp.connect(url!);
    try {
      const channel = await publisher.createConfirmChannel();
      channel.publish(exchange, topic, Buffer.from('deep'), { headers: { [RAW_HEADERS]: nestedFieldTable(8000) } });
      await channel.waitForConfirms();
    } finally {
      await publisher.close();
    }
    await driver.publish([{ topic, body: Buffer.from('after') }]);

    await expectEventually(() => {
      expect(handled.map((m) => m.body.toString())).toEqual(['after']);
      expect(dead).toHaveLength(1);
    }, { timeoutMs: 20_000 });
    expect(dead[0].body.toString()).toBe('deep');
    expect(dead[0].headers['x-dead-letter-reason']).toMatch(/headers cannot be decoded: field table nested deeper than 64 levels/);
  });
});
