import { Logger } from '@nestjs/common';
import type { ChannelModel } from 'amqplib';
import { EventEmitter } from 'node:events';
import { isInfrastructureError } from '../../../common/errors/infrastructure-error';
import { loadConfig } from '../../../config/load-config';
import { Metrics } from '../../../metrics/metrics';
import { RabbitMqDriver } from './rabbitmq.driver';

/** A connection as amqplib hands it to the driver's setup, but without the socket a later amqplib might move. */
function modelWithoutSocket(): ChannelModel {
  const channel = { on: jest.fn(), assertExchange: jest.fn(async () => ({})) };
  return { connection: {}, createConfirmChannel: jest.fn(async () => channel), close: jest.fn(async () => undefined) } as unknown as ChannelModel;
}

/** A connection whose confirm channels can be closed as amqplib does with the connection; once it is closed, it opens none. */
function closableModel() {
  const channel = Object.assign(new EventEmitter(), { assertExchange: jest.fn(async () => ({})) });
  let closed = false;
  const createConfirmChannel = jest.fn(async () => {
    if (closed) throw new Error('Connection closed');
    return channel;
  });
  const model = { connection: {}, createConfirmChannel, close: jest.fn(async () => undefined) } as unknown as ChannelModel;
  const closeConnection = () => {
    closed = true;
    channel.emit('close');
  };
  return { model, createConfirmChannel, closeConnection };
}

describe('RabbitMqDriver setup', () => {
  afterEach(() => jest.restoreAllMocks());

  it('warns once that frames go one write each, not on every reconnect', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const driver = new RabbitMqDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: 'amqp://127.0.0.1:5672' }), new Metrics());
    const setup = (model: ChannelModel) => (driver as unknown as { setup(m: ChannelModel): Promise<void> }).setup(model);
    for (let reconnect = 0; reconnect < 3; reconnect++) await setup(modelWithoutSocket());
    expect(warn.mock.calls.filter(([line]) => String(line).includes('no longer exposes its socket'))).toHaveLength(1);
  });

  it('answers what needs a connection while it has none (reconnecting) as an outage, a 503 and a retry, not a 500', async () => {
    const driver = new RabbitMqDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: 'amqp://127.0.0.1:5672' }), new Metrics());
    // Connected once, the connection lost and not yet recovered: connect() resolves, no channel model is set.
    jest.spyOn(driver, 'connect').mockResolvedValue(undefined);
    const refusals = await Promise.all([
      driver.subscribe({ topic: 't', group: 'g', handler: async () => undefined }).catch((e: unknown) => e),
      driver.retainFor('t', 'g').catch((e: unknown) => e),
      driver.publish([{ topic: 't', body: Buffer.from('x') }]).catch((e: unknown) => e),
    ]);
    for (const refusal of refusals) expect(isInfrastructureError(refusal)).toBe(true);
  });

  it('keeps no connection whose setup failed: amqplib closes it without a disconnect, and publishes wait for the retry', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const driver = new RabbitMqDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: 'amqp://127.0.0.1:5672' }), new Metrics());
    const internals = driver as unknown as { setup(m: ChannelModel): Promise<void>; subscriptions: { add(s: unknown): void } };
    const detach = jest.fn();
    internals.subscriptions.add({ attach: jest.fn(async () => Promise.reject(new Error('queue declaration refused'))), detach });
    const { model, createConfirmChannel, closeConnection } = closableModel();
    await expect(internals.setup(model)).rejects.toThrow('queue declaration refused');
    closeConnection();
    expect([driver.isConnected(), detach.mock.calls.length]).toEqual([false, 1]);

    jest.spyOn(driver, 'connect').mockResolvedValue(undefined);
    warn.mockClear();
    for (let i = 0; i < 3; i++) expect(isInfrastructureError(await driver.publish([{ topic: 't', body: Buffer.from('x') }]).catch((e: unknown) => e))).toBe(true);
    expect(createConfirmChannel).toHaveBeenCalledTimes(1); // none tried on the dead connection
    expect(warn).not.toHaveBeenCalled();
  });
});
