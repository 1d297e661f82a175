import { RabbitMqTransport } from './rabbitmq-transport';

describe('RabbitMqTransport', () => {
  afterEach(() => jest.restoreAllMocks());

  it("says so when amqplib no longer exposes the socket it would batch a turn's writes on", async () => {
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    // The module object the transport's loadPeer requires; a connection without `stream`, whose
    // next call fails, ends prepare() right after the check.
    const connect = jest.spyOn(jest.requireActual<typeof import('amqplib')>('amqplib'), 'connect').mockResolvedValue({
      connection: {}, createConfirmChannel: () => Promise.reject(new Error('stop here')),
    } as never);
    await expect(new RabbitMqTransport('shop', { url: 'amqp://127.0.0.1:1' }, logger).prepare()).rejects.toThrow('stop here');
    expect(connect).toHaveBeenCalledWith('amqp://127.0.0.1:1', { noDelay: true });
    expect(logger.warn).toHaveBeenCalledWith({ queue: 'shop.orchestrator.commands.shop' }, expect.stringContaining('one write each'));
  });
});
