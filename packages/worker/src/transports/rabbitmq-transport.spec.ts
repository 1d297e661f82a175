import type { RecoveryOptions } from 'amqplib';
import { EventEmitter } from 'node:events';
import { Slots } from '../slots';
import { RabbitMqTransport } from './rabbitmq-transport';

describe('RabbitMqTransport', () => {
  afterEach(() => jest.restoreAllMocks());

  /** Connects through a stand-in for amqplib's connect (the module object loadPeer requires) and returns its options. */
  async function prepared(logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() }, connection: object = {}) {
    const connect = jest.spyOn(jest.requireActual<typeof import('amqplib')>('amqplib'), 'connect')
      .mockResolvedValue({ on() { return this; }, waitForConnect: async () => undefined, ...connection } as never);
    const transport = new RabbitMqTransport('shop', { url: 'amqp://127.0.0.1:1' }, logger);
    await transport.prepare();
    const [url, options] = connect.mock.calls[0] as unknown as [string, {
      noDelay: boolean; timeout: number; clientProperties: Record<string, unknown>; recovery: RecoveryOptions;
    }];
    return { url, options, logger, transport };
  }

  it('connects with Nagle off, a 10 s heartbeat and its service as the connection name, and recovers for as long as it takes', async () => {
    const { url, options } = await prepared();
    expect(url).toBe('amqp://127.0.0.1:1?heartbeat=10');
    expect(options).toMatchObject({ noDelay: true, timeout: 5000, clientProperties: { connection_name: 'shop' } });
    expect(options.recovery).toMatchObject({ maxRetries: Number.POSITIVE_INFINITY, setup: expect.any(Function) });
  });

  it("says so when amqplib no longer exposes the socket it would batch a turn's writes on", async () => {
    const { options, logger } = await prepared();
    // A connection without `stream`, whose next call fails, ends the setup right after the check.
    const model = { connection: {}, createConfirmChannel: () => Promise.reject(new Error('stop here')) };
    await expect((options.recovery.setup as (m: never) => Promise<void>)(model as never)).rejects.toThrow('stop here');
    expect(logger.warn).toHaveBeenCalledWith({ queue: 'shop.orchestrator.commands.shop' }, expect.stringContaining('one write each'));
  });

  it('fails to prepare, after its few retries, when no broker answers at start', async () => {
    // Real amqplib; nothing listens on port 1, so each attempt is refused at once.
    const started = Date.now();
    await expect(new RabbitMqTransport('shop', { url: 'amqp://127.0.0.1:1' }, { info: jest.fn(), warn: jest.fn(), error: jest.fn() }).prepare())
      .rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  /** A confirm channel and a model that makes it, enough for the setup amqplib's recovery runs after each connect. */
  function fakeModel() {
    const channel = Object.assign(new EventEmitter(), {
      assertExchange: async () => ({}), assertQueue: async () => ({}), bindQueue: async () => ({}), prefetch: async () => undefined,
      consume: jest.fn(async (_queue: string, _onMessage: (m: null) => void) => ({ consumerTag: 'ctag' })),
      cancel: jest.fn(async () => ({})),
      close: jest.fn(async () => void channel.emit('close')),
    });
    const model = {
      connection: {}, createConfirmChannel: async () => channel, close: jest.fn(async () => undefined),
      createChannel: async () => ({ on: () => undefined, checkExchange: async () => ({}), close: async () => undefined }),
    };
    return { channel, model };
  }

  it('closes its channel, and waits for it, before the connection: amqplib would send the connection\'s close ahead of the last ack', async () => {
    const events: string[] = [];
    const { model, channel } = fakeModel();
    channel.close.mockImplementation(async () => {
      await new Promise(setImmediate); // until RabbitMQ's close-ok, which comes after everything sent before it
      events.push('channel closed');
      channel.emit('close');
    });
    const { options, transport } = await prepared(undefined, { close: async () => void events.push('connection closed') });
    await (options.recovery.setup as (m: never) => Promise<void>)(model as never);
    await transport.close();
    expect(events).toEqual(['channel closed', 'connection closed']);
    expect(model.close).not.toHaveBeenCalled(); // the channel's close is ours, not a channel error to recover from
  });

  it('still closes the connection when its channel had closed already', async () => {
    const { model, channel } = fakeModel();
    channel.close.mockRejectedValue(new Error('Channel closed'));
    const close = jest.fn(async () => undefined);
    const { options, transport } = await prepared(undefined, { close });
    await (options.recovery.setup as (m: never) => Promise<void>)(model as never);
    await transport.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('takes a consumer the broker cancelled (its queue deleted) as a lost channel: warns and reconnects, to declare and consume again', async () => {
    const { options, logger, transport } = await prepared();
    const { channel, model } = fakeModel();
    await transport.start(() => undefined, new Slots(2));
    await (options.recovery.setup as (m: never) => Promise<void>)(model as never);
    const onMessage = channel.consume.mock.calls[0][1];
    onMessage(null); // amqplib's word for a basic.cancel from the broker
    await new Promise(setImmediate);
    expect(logger.warn).toHaveBeenCalledWith({ queue: 'shop.orchestrator.commands.shop' }, expect.stringContaining('cancelled the consumer'));
    expect(model.close).toHaveBeenCalledTimes(1); // recovery then opens a new connection and runs setup again
  });
});
