import type { ChannelModel, ConfirmChannel, ConsumeMessage, Message, RecoveringChannelModel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { FailureStreak } from '../failure-streak';
import { errorText, type WorkerLogger } from '../logger';
import { DEFAULT_MAX_REPLY_BYTES } from '../output-rules';
import type { Slots } from '../slots';
import { currentTraceHeaders, traceHeadersOf } from '../tracing';
import { malformedFields, parseCommand, type WireReply } from '../wire';
import { commandTopicOf, DEFAULT_EXCHANGE, DEFAULT_REPLY_TOPIC, loadPeer, type BrokerNames } from './broker-names';
import { amqpFailure } from './amqp-failure';
import { withHeartbeat } from './amqp-heartbeat';
import type { BrokerRoute } from './broker-route';
import { brokerDelivery } from './broker-delivery';
import { amqpSocketOf, writeTurnsWhole } from './turn-writes';
import type { Delivery, Transport } from './transport';

export interface RabbitMqTransportOptions extends BrokerNames {
  url: string;
  /** Baton's RABBITMQ_EXCHANGE. Default `baton`. */
  exchange?: string;
}

/**
 * Consumes the service's queue (declared exactly as Baton declares a subscription: durable
 * `<service>.<topic>` bound to the topic exchange, dead-lettering to `<topic>.DLQ`) with a
 * prefetch of the worker's concurrency. A command is acked only after its reply was confirmed, and
 * not returned for want of a queue bound to the reply topic: such a reply fails, and its command is
 * given back.
 *
 * The connection recovers on its own (amqplib's `recovery`): after a broker restart or a network
 * cut it reconnects with backoff, declares again and consumes again. Commands unacknowledged when
 * the connection dropped are redelivered by the broker, and the result store answers those whose
 * handler had already run.
 */
export class RabbitMqTransport implements Transport {
  readonly registration: Record<string, string>;
  readonly route: BrokerRoute;
  readonly maxReplyBytes: number = DEFAULT_MAX_REPLY_BYTES.rabbitmq;
  private connection?: RecoveringChannelModel;
  private channel?: ConfirmChannel;
  private consumerTag?: string;
  /** Set by start(), cleared by pause(): whether a reconnect consumes again. */
  private consuming?: { receive: (delivery: Delivery) => void; slots: Slots };
  private readonly topic: string;
  private readonly exchange: string;
  private readonly replyTopic: string;
  /**
   * Replies published and not yet confirmed, by messageId: whether RabbitMQ returned each. An entry
   * goes with its confirm callback, which amqplib calls for every unconfirmed publish, with an
   * error, when the channel or its connection closes.
   */
  private readonly unconfirmedReplies = new Map<string, boolean>();

  constructor(private readonly service: string, private readonly options: RabbitMqTransportOptions, private readonly logger: WorkerLogger) {
    this.topic = commandTopicOf(service, options);
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.replyTopic = options.replyTopic ?? DEFAULT_REPLY_TOPIC;
    this.registration = { topic: this.topic };
    this.route = { driver: 'rabbitmq', replyTopic: this.replyTopic, exchange: this.exchange };
  }

  async prepare(): Promise<void> {
    const amqp = loadPeer<typeof import('amqplib')>('amqplib');
    const connection = await amqp.connect(withHeartbeat(this.options.url), {
      noDelay: true,
      timeout: 5000, // a broker that accepts the socket but never answers fails the attempt
      clientProperties: { connection_name: this.service }, // how RabbitMQ's tools name the connection
      recovery: {
        initialDelay: 200, maxDelay: 5000,
        initialMaxRetries: 3, // a broker unreachable at start fails the start within seconds
        maxRetries: Number.POSITIVE_INFINITY, // once connected, never give up
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setup(model),
      },
    });
    this.connection = connection;
    // amqplib tells a failed reconnect only by `connect-failed`: without it a rotated password
    // or a deleted vhost would leave the worker retrying every few seconds without a word.
    const reconnects = new FailureStreak(this.logger, { queue: this.queue }, 'lost the RabbitMQ connection, reconnecting', 'reconnected to RabbitMQ', amqpFailure);
    let connectedOnce = false;
    connection.on('disconnect', (error: Error) => {
      this.channel = undefined;
      this.consumerTag = undefined;
      reconnects.failed(error);
    });
    // Before the first connect a failure is start()'s to report, with its error.
    connection.on('connect-failed', (error: Error) => {
      if (connectedOnce) reconnects.failed(error);
    });
    connection.on('connect', () => {
      connectedOnce = true;
      reconnects.succeeded();
    });
    connection.on('error', (error: Error) => this.logger.warn({ queue: this.queue }, `RabbitMQ connection error: ${errorText(error)}`));
    await connection.waitForConnect();
  }

  /** After every (re)connect, before it counts as connected; a throw makes amqplib try again. */
  private async setup(model: ChannelModel): Promise<void> {
    if (!writeTurnsWhole(amqpSocketOf(model))) {
      this.logger.warn({ queue: this.queue }, 'amqplib no longer exposes its socket: frames go to RabbitMQ one write each');
    }
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn({ queue: this.queue }, `RabbitMQ channel error: ${errorText(error)}`));
    channel.on('close', () => {
      if (this.channel !== channel) return;
      // Closed on its own (a channel error) while the connection lives, which would leave the
      // worker consuming nothing: drop the connection so recovery rebuilds all of it.
      this.channel = undefined;
      this.consumerTag = undefined;
      void model.close().catch(() => undefined);
    });
    // RabbitMQ sends the basic.return of a reply no queue is bound for before its confirm, and
    // amqplib emits it as it reads it, so the reply's confirm callback finds it marked.
    channel.on('return', (returned: Message) => {
      const id: unknown = returned.properties.messageId;
      if (typeof id === 'string' && this.unconfirmedReplies.has(id)) this.unconfirmedReplies.set(id, true);
    });
    const dlx = `${this.exchange}.dlx`;
    const parking = `${this.topic}.DLQ`;
    await this.ensureExchanges(model, channel, [this.exchange, dlx]);
    await channel.assertQueue(parking, { durable: true });
    await channel.bindQueue(parking, dlx, parking);
    await channel.assertQueue(this.queue, {
      durable: true, arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': parking },
    });
    await channel.bindQueue(this.queue, this.exchange, this.topic);
    this.channel = channel;
    if (this.consuming) await this.consume(channel, this.consuming);
  }

  /**
   * Declaring an exchange that exists needs the configure permission on it, which would also let
   * the worker delete it (README, RabbitMQ permissions): look first, passively, and declare only
   * an exchange that Baton has not made yet. A failed look closes its channel, so it gets its own.
   */
  private async ensureExchanges(model: ChannelModel, channel: ConfirmChannel, names: string[]): Promise<void> {
    for (const name of names) {
      const probe = await model.createChannel();
      probe.on('error', () => undefined); // the 404 that closes it is the answer, not a failure
      const exists = await probe.checkExchange(name).then(() => true, () => false);
      if (exists) await probe.close();
      else await channel.assertExchange(name, 'topic', { durable: true });
    }
  }

  private get queue(): string {
    return `${this.service}.${this.topic}`;
  }

  async start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    this.consuming = { receive, slots };
    if (this.channel) await this.consume(this.channel, this.consuming);
  }

  private async consume(channel: ConfirmChannel, { receive, slots }: NonNullable<RabbitMqTransport['consuming']>): Promise<void> {
    await channel.prefetch(slots.size);
    const { consumerTag } = await channel.consume(this.queue, (m) => (m ? this.deliver(channel, m, receive) : this.cancelled(channel)));
    this.consumerTag = consumerTag;
  }

  /**
   * The broker cancelled the consumer (its queue was deleted, or the node holding the queue went
   * down): the channel lives on but nothing comes. Closing it takes the channel-error path, whose
   * reconnect declares the queue again and consumes again.
   */
  private cancelled(channel: ConfirmChannel): void {
    this.logger.warn({ queue: this.queue }, 'RabbitMQ cancelled the consumer, reconnecting to declare the queue and consume again');
    void channel.close().catch(() => undefined); // a channel closing already ends up the same way
  }

  async pause(): Promise<void> {
    this.consuming = undefined;
    if (this.consumerTag) await this.channel?.cancel(this.consumerTag).catch(() => undefined); // a dead channel consumes nothing
    this.consumerTag = undefined;
  }

  /**
   * Closes the channel before the connection: amqplib sends a connection's close ahead of the acks
   * its channel has not written yet, so RabbitMQ would requeue the last commands handled, and
   * another instance would run their steps again. A channel's close waits for the broker's answer,
   * which comes only after everything sent before it.
   */
  async close(): Promise<void> {
    await this.pause();
    const channel = this.channel;
    this.channel = undefined; // its close is ours, not a channel error to recover from
    // One closed already (a channel error, a lost connection) has no ack left to send.
    await channel?.close().catch(() => undefined);
    await this.connection?.close(); // also ends recovery
  }

  /** Replies and settles on the channel the command came on: delivery tags belong to it. */
  private deliver(channel: ConfirmChannel, message: ConsumeMessage, receive: (delivery: Delivery) => void): void {
    let command;
    try {
      command = parseCommand(message.content);
    } catch (error) {
      this.logger.error({ queue: this.queue, ...malformedFields(error) }, `not a command, dead-lettered: ${errorText(error)}`);
      channel.nack(message, false, false);
      return;
    }
    receive(brokerDelivery({
      command, trace: traceHeadersOf(message.properties.headers),
      send: (reply) => this.publishReply(channel, reply, command.correlationId),
      ack: async () => channel.ack(message),
      requeue: async () => {
        // On a channel that closed meanwhile the broker has requeued the message already.
        try { channel.nack(message, false, true); } catch { /* requeued with the channel */ }
      },
    }));
  }

  /**
   * Resolves once RabbitMQ confirmed the reply. Mandatory: a reply that no queue is bound for (a
   * replyTopic or exchange that is not Baton's) would otherwise be dropped, and confirmed all the
   * same, so its command would be acked and its run left to time out.
   */
  private publishReply(channel: ConfirmChannel, reply: WireReply, correlationId: string): Promise<void> {
    const messageId = randomUUID();
    return new Promise<void>((resolve, reject) => {
      const confirmed = (error: unknown) => {
        const returned = this.unconfirmedReplies.get(messageId);
        this.unconfirmedReplies.delete(messageId);
        if (error) reject(error);
        else if (returned) reject(new Error(`REPLY_UNROUTABLE: RabbitMQ returned the reply, as no queue is bound to routing key "${this.replyTopic}" on exchange "${this.exchange}": check that the worker's replyTopic and exchange match Baton's TOPIC_REPLY and RABBITMQ_EXCHANGE`));
        else resolve();
      };
      this.unconfirmedReplies.set(messageId, false);
      try {
        channel.publish(this.exchange, this.replyTopic, Buffer.from(JSON.stringify(reply)), {
          persistent: true, mandatory: true, messageId, contentType: 'application/json',
          headers: { 'x-correlation-id': correlationId, ...currentTraceHeaders() },
        }, confirmed);
      } catch (error) {
        confirmed(error); // a closing channel throws, and never calls back
      }
    });
  }
}
