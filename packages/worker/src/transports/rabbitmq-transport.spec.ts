import type { Options, RecoveryOptions } from 'amqplib';
import { EventEmitter } from 'node:events';
import { Slots } from '../slots';
import { replyTo, type WireCommand } from '../wire';
import { RabbitMqTransport } from './rabbitmq-transport';
import type { Delivery } from './transport';

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

  it('logs a reconnect that keeps failing once per kind of failure, a refused login as an error, and the reconnect once it passes', async () => {
    // amqplib's recovering connection, as its events tell what recovery does.
    const connection = new EventEmitter();
    const { logger } = await prepared(undefined, { on: connection.on.bind(connection) });
    const refusedLogin = new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"');
    connection.emit('connect-failed', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })); // start()'s to report
    connection.emit('connect');
    connection.emit('disconnect', Object.assign(new Error('Connection closed: 320 (CONNECTION-FORCED)'), { code: 320 }));
    for (let attempt = 0; attempt < 5; attempt++) connection.emit('connect-failed', refusedLogin);
    connection.emit('connect');
    const queue = { queue: 'shop.orchestrator.commands.shop' };
    expect(logger.warn.mock.calls).toEqual([[queue, 'lost the RabbitMQ connection, reconnecting: Connection closed: 320 (CONNECTION-FORCED)']]);
    expect(logger.error.mock.calls).toEqual([[queue, `lost the RabbitMQ connection, reconnecting: ${refusedLogin.message}`]]);
    expect(logger.info.mock.calls).toEqual([[queue, 'reconnected to RabbitMQ']]);
  });

  /** A confirm channel and a model that makes it, enough for the setup amqplib's recovery runs after each connect. */
  function fakeModel() {
    const channel = Object.assign(new EventEmitter(), {
      assertExchange: async () => ({}), assertQueue: async () => ({}), bindQueue: async () => ({}), prefetch: async () => undefined,
      consume: jest.fn(async (_queue: string, _onMessage: (m: object | null) => void) => ({ consumerTag: 'ctag' })),
      publish: jest.fn((_exchange: string, _routingKey: string, _content: Buffer, _options: Options.Publish, _confirmed: (error: unknown) => void) => true),
      ack: jest.fn(), nack: jest.fn(),
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

  const command: WireCommand = {
    flowId: 'f1', orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: 'c1', objectType: 'Order',
    payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: 'corr-1', idempotencyKey: 'f1:charge:DO', deadline: '2999-01-01T00:00:00Z',
  };
  const reply = replyTo(command, { status: 'SUCCESS', error: null }, { ok: true });

  /** A command delivered on a fake channel, and the transport's replies still waiting for their confirm. */
  async function delivered() {
    const { options, transport } = await prepared();
    const { channel, model } = fakeModel();
    const deliveries: Delivery[] = [];
    await transport.start((delivery) => void deliveries.push(delivery), new Slots(1));
    await (options.recovery.setup as (m: never) => Promise<void>)(model as never);
    channel.consume.mock.calls[0][1]({ content: Buffer.from(JSON.stringify(command)), properties: { headers: {} }, fields: {} });
    const unconfirmed = (transport as unknown as { unconfirmedReplies: Map<string, boolean> }).unconfirmedReplies;
    return { channel, delivery: deliveries[0], unconfirmed };
  }

  /**
   * Answers each publish as RabbitMQ does, a moment later and in this order: a basic.return (of the
   * message `returnedId` names), then the reply's confirm. Returns how many replies were waiting
   * for a confirm at each.
   */
  function answerPublishes(channel: ReturnType<typeof fakeModel>['channel'], unconfirmed: Map<string, boolean>, returnedId: (messageId: string) => string) {
    const waitingAtConfirm: number[] = [];
    channel.publish.mockImplementation((exchange, routingKey, content, options, confirmed) => {
      setImmediate(() => {
        channel.emit('return', { fields: { exchange, routingKey }, properties: { messageId: returnedId(options.messageId as string) }, content });
        waitingAtConfirm.push(unconfirmed.size);
        confirmed(null);
      });
      return true;
    });
    return waitingAtConfirm;
  }

  it('dead-letters a malformed command (a key too long for the result store) once, with its ids, instead of running it', async () => {
    const { options, transport, logger } = await prepared();
    const { channel, model } = fakeModel();
    const deliveries: Delivery[] = [];
    await transport.start((delivery) => void deliveries.push(delivery), new Slots(1));
    await (options.recovery.setup as (m: never) => Promise<void>)(model as never);
    const message = { content: Buffer.from(JSON.stringify({ ...command, idempotencyKey: 'k'.repeat(1000) })), properties: { headers: {} }, fields: {} };
    channel.consume.mock.calls[0][1](message);
    expect(deliveries).toHaveLength(0);
    expect(channel.nack.mock.calls).toEqual([[message, false, false]]);
    expect(logger.error.mock.calls).toEqual([[
      { queue: 'shop.orchestrator.commands.shop', code: 'MALFORMED_COMMAND', flowId: 'f1', stepName: 'charge', commandId: 'c1' },
      'not a command, dead-lettered: MALFORMED_COMMAND: idempotencyKey must be 1 to 592 characters, not 1000',
    ]]);
  });

  it('fails a reply RabbitMQ returns, as no queue is bound to its routing key, and gives its command back instead of acking it', async () => {
    const { channel, delivery, unconfirmed } = await delivered();
    const waitingAtConfirm = answerPublishes(channel, unconfirmed, (messageId) => messageId);
    await expect(delivery.settle(reply)).rejects.toThrow(
      'REPLY_UNROUTABLE: RabbitMQ returned the reply, as no queue is bound to routing key "orchestrator.reply" on exchange "baton": '
      + "check that the worker's replyTopic and exchange match Baton's TOPIC_REPLY and RABBITMQ_EXCHANGE");
    expect(channel.publish.mock.calls[0][3]).toMatchObject({ mandatory: true, messageId: expect.any(String), headers: { 'x-correlation-id': 'corr-1' } });
    expect(channel.ack).not.toHaveBeenCalled();
    expect(channel.nack).toHaveBeenCalledWith(expect.anything(), false, true);
    expect(waitingAtConfirm).toEqual([1]);
    expect(unconfirmed.size).toBe(0);
  });

  it('acks the command once its reply is confirmed and not returned, whatever else RabbitMQ returns', async () => {
    const { channel, delivery, unconfirmed } = await delivered();
    const waitingAtConfirm = answerPublishes(channel, unconfirmed, () => 'another message');
    await delivery.settle(reply);
    expect(channel.ack).toHaveBeenCalledTimes(1);
    expect(channel.nack).not.toHaveBeenCalled();
    expect(waitingAtConfirm).toEqual([1]);
    expect(unconfirmed.size).toBe(0);
  });

  it('fails a reply the channel refuses to publish (it is closing), leaving nothing waiting for a confirm', async () => {
    const { channel, delivery, unconfirmed } = await delivered();
    channel.publish.mockImplementation(() => { throw new Error('Channel closing'); });
    await expect(delivery.heartbeat(replyTo(command, { status: 'HEARTBEAT', error: null }))).rejects.toThrow('Channel closing');
    expect(unconfirmed.size).toBe(0);
  });
});
