import { DependencyUnavailableError } from '../../../common/errors/infrastructure-error';
import { withTimeout } from '@baton/worker/internal';
import type { Logger } from '@nestjs/common';
import type { Channel, ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { once } from 'node:events';
import { isPublishOutage } from '../../delivery/publish-outage';
import type { OutgoingMessage } from '../../message';
import { publishOptions } from './rabbitmq-message';
import { exchangeFor } from './rabbitmq-topology';

export interface Send {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** A guard: confirms stop coming while the broker blocks publishers (memory or disk alarm). */
const CONFIRM_TIMEOUT_MS = 30_000;

/** How `message` goes out: dead-letter topics on the dead-letter exchange, the rest on `exchange`. */
export function sendOf(message: OutgoingMessage, exchange: string): Send {
  return { exchange: exchangeFor(message.topic, exchange), routingKey: message.topic, content: message.body, options: publishOptions(message) };
}

/**
 * A confirm channel of one path of publishes on the live connection. RabbitMQ closes the channel
 * for a message it refuses (403 ACCESS_REFUSED, 406 PRECONDITION_FAILED over max_message_size) and
 * amqplib fails every confirm still open on it with the same reason: publishes on another path's
 * channel are not failed with it. After a refusal the channel is opened anew on the same connection
 * at once; any other close (an exchange gone, a protocol error) drops the connection, so that
 * recovery rebuilds everything in one known way.
 */
export class PublishChannel {
  private channel?: ConfirmChannel;
  private opening?: Promise<void>;
  /**
   * Set by close(), cleared by open(): a reopen after a refusal that close() met under way closes
   * what it opened (a subscription stopped and started again each left a channel open for good).
   */
  private closed = false;
  /** Why the broker closed a channel: the confirms it fails say only "channel closed". */
  private readonly closeReasons = new WeakMap<Channel, Error>();
  /** The last publish given to publishAlone, settled or not. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    /** The live connection, if any: where the channel is (re)opened. */
    private readonly currentModel: () => ChannelModel | undefined,
  ) {}

  get isOpen(): boolean {
    return this.channel !== undefined;
  }

  /** Opens the channel on a connection that is not yet current (the driver's setup after each connect). */
  async open(model: ChannelModel): Promise<ConfirmChannel> {
    this.closed = false;
    this.channel = await this.create(model);
    return this.channel;
  }

  /** Closes the channel on the way out: not taken for a broker's close, so nothing reopens. */
  async close(): Promise<void> {
    this.closed = true;
    const channel = this.channel;
    this.channel = undefined;
    await this.opening;
    await channel?.close().catch(() => undefined);
  }

  /**
   * Publishes in order and returns one confirm per message. Waits for 'drain' when amqplib's buffer
   * is full, which is RabbitMQ's backpressure.
   */
  async send(sends: Send[]): Promise<Promise<void>[]> {
    const channel = await this.ready();
    const confirms: Promise<void>[] = [];
    const failed = (error: unknown) => withCloseReason(error, this.closeReasons.get(channel));
    for (const { exchange, routingKey, content, options } of sends) {
      let writable = true;
      const confirmed = new Promise<void>((resolve, reject) => {
        try {
          writable = channel.publish(exchange, routingKey, content, options, (error) => (error ? reject(failed(error)) : resolve()));
        } catch (error) {
          reject(failed(error));
        }
      });
      const guarded = withTimeout(confirmed, CONFIRM_TIMEOUT_MS, 'RabbitMQ publish confirm');
      guarded.catch(() => undefined); // handled by the caller's Promise.all; not "unhandled" while we wait for drain
      confirms.push(guarded);
      if (!writable) await Promise.race([once(channel, 'drain'), once(channel, 'close')]);
    }
    return confirms;
  }

  /**
   * Publishes one message once every earlier one given here is confirmed or failed: with nothing
   * else open on the channel, a refusal fails this publish alone, never a neighbour's. For a
   * consumer's redeliveries and dead letters, which a failure starts: a round trip each is cheap
   * there, and a neighbour failed with another's refusal would be dead-lettered or lost for it.
   */
  publishAlone(send: Send): Promise<void> {
    const published = this.turn.then(async () => {
      await Promise.all(await this.send([send]));
    });
    this.turn = published.catch(() => undefined);
    return published;
  }

  /** The open channel: the one being reopened after a refusal, or a first one on the live connection. */
  private async ready(): Promise<ConfirmChannel> {
    if (this.closed) throw new DependencyUnavailableError(`${this.name} is closed: Baton is stopping it`, undefined);
    const model = this.currentModel();
    if (!this.channel && model) await this.reopen(model);
    if (!this.channel) throw notConnected();
    return this.channel;
  }

  private reopen(model: ChannelModel): Promise<void> {
    this.opening ??= this.create(model).then((channel) => {
      if (!this.closed && this.currentModel() === model) this.channel = channel;
      else void channel.close().catch(() => undefined);
    }, (error: Error) => {
      if (this.closed) return; // closed meanwhile: nothing is missing, and the connection is not this path's to drop
      this.logger.warn(`${this.name} could not be opened (${error.message}); reconnecting`);
      void model.close().catch(() => undefined);
    }).finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async create(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => {
      this.closeReasons.set(channel, error);
      this.logger.warn(`${this.name}: ${error.message}`);
    });
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      const reason = this.closeReasons.get(channel);
      // No reason given: the connection went, and recovery reopens everything.
      if (!reason) return;
      // A refusal is the message's fault, not the connection's: the others go on at once on a new
      // channel, as the outbox's isolation of a refused row needs (it publishes the rest right after).
      if (!isPublishOutage(reason) && this.currentModel() === model) void this.reopen(model);
      else void model.close().catch(() => undefined);
    });
    return channel;
  }
}

/**
 * A publish failed on a channel the broker closed, with the broker's reason as its cause: the
 * reply code (403 ACCESS_REFUSED, 406 PRECONDITION_FAILED) tells a refused message from an
 * outage (isPublishOutage), which the bare "channel closed" amqplib gives each confirm cannot.
 */
function withCloseReason(error: unknown, reason: Error | undefined): unknown {
  if (!reason) return error;
  return new Error(`${error instanceof Error ? error.message : String(error)}: ${reason.message}`, { cause: reason });
}

/** Between a lost connection and its recovery: an outage (503, retried), not a fault of the request that met it. */
export function notConnected(): DependencyUnavailableError {
  return new DependencyUnavailableError('RabbitMQ is not connected: Baton is reconnecting', undefined);
}
