import 'reflect-metadata';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { loadConfig } from '../../../src/config/load-config';
import { socketOf } from '../../../src/messaging/drivers/rabbitmq/rabbitmq.driver';
import * as turnWrites from '../../../src/messaging/drivers/rabbitmq/turn-writes';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';

const { writeTurnsWhole } = turnWrites;

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/** Against the amqplib we ship and a real broker: the socket is still where the driver looks for it. */
describe('writeTurnsWhole on a real RabbitMQ connection', () => {
  let model: amqp.ChannelModel;

  beforeAll(async () => {
    model = await amqp.connect(url, { noDelay: true });
  });
  afterAll(() => model?.close());

  it("sends a turn's publishes in one writev, and the broker confirms every one", async () => {
    expect(writeTurnsWhole(socketOf(model))).toBe(true);
    const channel = await model.createConfirmChannel();
    const queue = `turn-writes-${randomUUID()}`;
    await channel.assertQueue(queue, { exclusive: true });
    const socket = socketOf(model) as Socket & { _write: () => void; _writev: () => void };
    const writes = jest.spyOn(socket, '_write');
    const writevs = jest.spyOn(socket, '_writev');
    for (let i = 0; i < 20; i++) channel.sendToQueue(queue, Buffer.from(`m${i}`));
    await channel.waitForConfirms();
    // Without it, each of the 20 publishes is a write of its own.
    expect(writes.mock.calls.length + writevs.mock.calls.length).toBeLessThanOrEqual(2);
    expect((await channel.checkQueue(queue)).messageCount).toBe(20);
  });

  it('is applied by the driver to the connection it opens', async () => {
    const applied = jest.spyOn(turnWrites, 'writeTurnsWhole');
    const driver = createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url }), new Metrics());
    try {
      await driver.connect();
      expect(applied).toHaveReturnedWith(true);
      expect(applied.mock.calls[0][0]).toBeInstanceOf(Socket);
    } finally {
      applied.mockRestore();
      await driver.close();
    }
  });
});
