import 'reflect-metadata';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import { RabbitMqTransport } from '../../../packages/worker/src/transports/rabbitmq-transport';
import * as turnWrites from '../../../packages/worker/src/transports/turn-writes';
import { loadConfig } from '../../../src/config/load-config';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';

const { amqpSocketOf, writeTurnsWhole } = turnWrites;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/** Against the amqplib we ship and a real broker: the socket is still where the engine's driver and the SDK look for it. */
describe('writeTurnsWhole on a real RabbitMQ connection', () => {
  let model: amqp.ChannelModel;

  beforeAll(async () => {
    model = await amqp.connect(url, { noDelay: true });
  });
  afterAll(() => model?.close());

  it("sends a turn's publishes in one writev, and the broker confirms every one", async () => {
    expect(writeTurnsWhole(amqpSocketOf(model))).toBe(true);
    const channel = await model.createConfirmChannel();
    const queue = `turn-writes-${randomUUID()}`;
    await channel.assertQueue(queue, { exclusive: true });
    const socket = amqpSocketOf(model) as net.Socket & { _write: () => void; _writev: () => void };
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
      expect(applied.mock.calls[0][0]).toBeInstanceOf(net.Socket);
    } finally {
      applied.mockRestore();
      await driver.close();
    }
  });

  it("is applied by the worker SDK's RabbitMQ transport, to a socket with Nagle off", async () => {
    const applied = jest.spyOn(turnWrites, 'writeTurnsWhole');
    const noDelay = jest.spyOn(net.Socket.prototype, 'setNoDelay');
    const transport = new RabbitMqTransport(`turn-writes-${randomUUID()}`, { url }, quiet);
    try {
      await transport.prepare();
      expect(applied).toHaveReturnedWith(true);
      const socket = applied.mock.calls[0][0];
      expect(socket).toBeInstanceOf(net.Socket);
      expect(noDelay.mock.calls[noDelay.mock.contexts.indexOf(socket as net.Socket)]).toEqual([true]);
    } finally {
      applied.mockRestore();
      noDelay.mockRestore();
      await transport.close();
    }
  });
});
