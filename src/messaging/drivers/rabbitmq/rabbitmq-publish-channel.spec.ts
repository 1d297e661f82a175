import { Logger } from '@nestjs/common';
import type { ChannelModel } from 'amqplib';
import { EventEmitter } from 'node:events';
import { isInfrastructureError } from '../../../common/errors/infrastructure-error';
import { isPublishOutage } from '../../delivery/publish-outage';
import { PublishChannel, type Send } from './rabbitmq-publish-channel';

type Confirm = (error: Error | null) => void;

/** A confirm channel as amqplib runs one: a close fails every confirm still open, before anyone else hears of it. */
class FakeChannel extends EventEmitter {
  readonly written: Array<{ routingKey: string; confirm: Confirm }> = [];
  readonly close = jest.fn(async () => undefined);

  constructor() {
    super();
    this.on('close', () => {
      for (const { confirm } of this.written.splice(0)) confirm(new Error('channel closed'));
    });
  }

  publish(_exchange: string, routingKey: string, _content: Buffer, _options: unknown, confirm: Confirm): boolean {
    this.written.push({ routingKey, confirm });
    return true;
  }

  confirm(routingKey: string): void {
    const at = this.written.findIndex((w) => w.routingKey === routingKey);
    this.written.splice(at, 1)[0].confirm(null);
  }

  /** What RabbitMQ does to a channel for a message it refuses, or for another fault (404 NOT_FOUND: an exchange gone). */
  closedByBroker(code: number, text: string): void {
    this.emit('error', Object.assign(new Error(`Channel closed by server: ${code} (${text})`), { code }));
    this.emit('close');
  }
}

/** A connection; with `reopened`, every channel after the first is opened once that settles (or fails with it). */
function fakeModel(reopened?: Promise<void>) {
  const channels: FakeChannel[] = [];
  const model = {
    createConfirmChannel: jest.fn(async () => {
      if (channels.length > 0 && reopened) await reopened;
      channels.push(new FakeChannel());
      return channels[channels.length - 1];
    }),
    close: jest.fn(async () => undefined),
  };
  return { model: model as unknown as ChannelModel, channels, closeConnection: model.close };
}

const to = (routingKey: string): Send => ({ exchange: 'baton', routingKey, content: Buffer.from(routingKey), options: {} });
const settled = (promise: Promise<unknown>) => promise.then(() => 'confirmed', (error: unknown) => error);
/** Lets the channel's promises (its opening, a turn given back) run. */
const turnsPass = () => new Promise((resolve) => setImmediate(resolve));

describe('PublishChannel', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('fails every confirm open on a channel with the refusal of one message on it, given as the cause', async () => {
    const { model, channels } = fakeModel();
    const publishing = new PublishChannel('test', new Logger('test'), () => model);
    const [refused, neighbour] = await publishing.send([to('forbidden.x'), to('allowed.a')]);
    channels[0].closedByBroker(403, 'ACCESS_REFUSED');
    for (const outcome of [await settled(refused), await settled(neighbour)]) {
      expect(String(outcome)).toMatch(/ACCESS_REFUSED/);
      expect(isPublishOutage(outcome)).toBe(false);
    }
  });

  it('publishes alone one message at a time, so that a refusal fails its own publish and the next goes on a new channel', async () => {
    const { model, channels, closeConnection } = fakeModel();
    const publishing = new PublishChannel('test', new Logger('test'), () => model);
    const refused = settled(publishing.publishAlone(to('forbidden.x')));
    const next = settled(publishing.publishAlone(to('allowed.a')));
    await turnsPass();
    // The next one waits for the first one's answer: written together, the refusal failed both.
    expect(channels[0].written.map((w) => w.routingKey)).toEqual(['forbidden.x']);
    channels[0].closedByBroker(403, 'ACCESS_REFUSED');
    expect(String(await refused)).toMatch(/ACCESS_REFUSED/);
    await turnsPass();
    expect(channels).toHaveLength(2);
    channels[1].confirm('allowed.a');
    expect(await next).toBe('confirmed');
    expect(closeConnection).not.toHaveBeenCalled();
  });

  it('drops the connection for a close that is no refusal, so that recovery rebuilds everything', async () => {
    const { model, channels, closeConnection } = fakeModel();
    const publishing = new PublishChannel('test', new Logger('test'), () => model);
    const [lost] = await publishing.send([to('allowed.a')]);
    channels[0].closedByBroker(404, 'NOT_FOUND');
    expect(isPublishOutage(await settled(lost))).toBe(true);
    expect(closeConnection).toHaveBeenCalled();
    expect(publishing.isOpen).toBe(false);
  });

  it('leaves a channel closed with its connection to the recovery: no new channel, no second close', async () => {
    const { model, channels, closeConnection } = fakeModel();
    const publishing = new PublishChannel('test', new Logger('test'), () => model);
    const [lost] = await publishing.send([to('allowed.a')]);
    channels[0].emit('close'); // amqplib closes every channel of a lost connection, with no error of their own
    expect(isPublishOutage(await settled(lost))).toBe(true);
    await turnsPass();
    expect(closeConnection).not.toHaveBeenCalled();
    expect(channels).toHaveLength(1);
  });

  it('answers a publish with no connection as an outage, and reopens nothing after its own close on the way out', async () => {
    const live: { model?: ChannelModel } = {};
    const publishing = new PublishChannel('test', new Logger('test'), () => live.model);
    expect(isInfrastructureError(await settled(publishing.send([to('allowed.a')])))).toBe(true);
    const { model, channels, closeConnection } = fakeModel();
    live.model = model;
    const sent = publishing.publishAlone(to('allowed.a'));
    await turnsPass();
    channels[0].confirm('allowed.a');
    await sent;
    await publishing.close();
    channels[0].emit('close');
    expect(channels[0].close).toHaveBeenCalled();
    expect(closeConnection).not.toHaveBeenCalled();
    expect(channels).toHaveLength(1);
  });

  /** A publish refused on the first channel: the reopen after it waits for `reopened`. */
  async function refusedWithReopenPending() {
    let answer!: { open: () => void; fail: (error: Error) => void };
    const reopened = new Promise<void>((open, fail) => (answer = { open, fail }));
    const { model, channels, closeConnection } = fakeModel(reopened);
    const publishing = new PublishChannel('test', new Logger('test'), () => model);
    const refused = settled(publishing.publishAlone(to('forbidden.x')));
    await turnsPass();
    channels[0].closedByBroker(403, 'ACCESS_REFUSED');
    await refused;
    return { model, channels, closeConnection, publishing, answer };
  }

  it('closes the channel a reopen under way at its close opens, and opens none for a publish after it', async () => {
    const { channels, closeConnection, publishing, answer } = await refusedWithReopenPending();
    const closing = publishing.close(); // a subscription stopped right after a refusal
    answer.open();
    await closing;
    expect(channels).toHaveLength(2);
    expect(channels[1].close).toHaveBeenCalled();
    expect(publishing.isOpen).toBe(false);
    expect(isInfrastructureError(await settled(publishing.publishAlone(to('allowed.a'))))).toBe(true);
    expect(channels).toHaveLength(2);
    expect(closeConnection).not.toHaveBeenCalled();
  });

  it('leaves the connection alone when a reopen its close met fails', async () => {
    const { closeConnection, publishing, answer } = await refusedWithReopenPending();
    const closing = publishing.close();
    answer.fail(new Error('channel limit reached'));
    await closing;
    await turnsPass();
    expect(closeConnection).not.toHaveBeenCalled();
  });

  it('publishes again once opened after its close (the driver after a reconnect)', async () => {
    const { model, channels } = fakeModel();
    const publishing = new PublishChannel('test', new Logger('test'), () => model);
    await publishing.open(model);
    await publishing.close();
    await publishing.open(model);
    const [confirm] = await publishing.send([to('allowed.a')]);
    channels[1].confirm('allowed.a');
    expect(await settled(confirm)).toBe('confirmed');
  });
});
