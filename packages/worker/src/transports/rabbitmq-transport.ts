import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { errorText, type WorkerLogger } from '../logger';
import type { Slots } from '../slots';
import { currentTraceHeaders, traceHeadersOf } from '../tracing';
import { parseCommand, type WireReply } from '../wire';
import { commandTopicOf, DEFAULT_REPLY_TOPIC, loadPeer, type BrokerNames } from './broker-names';
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
 * prefetch of the worker's concurrency. A command is acked only after its reply was confirmed.
 */
export class RabbitMqTransport implements Transport {
  readonly registration: Record<string, string>;
  private connection?: ChannelModel;
  private channel?: ConfirmChannel;
  private consumerTag?: string;
  private readonly topic: string;
  private readonly exchange: string;

  constructor(private readonly service: string, private readonly options: RabbitMqTransportOptions, private readonly logger: WorkerLogger) {
    this.topic = commandTopicOf(service, options);
    this.exchange = options.exchange ?? 'baton';
    this.registration = { topic: this.topic };
  }

  async prepare(): Promise<void> {
    const amqp = loadPeer<typeof import('amqplib')>('amqplib');
    this.connection = await amqp.connect(this.options.url, { noDelay: true });
    if (!writeTurnsWhole(amqpSocketOf(this.connection))) {
      this.logger.warn({ queue: this.queue }, 'amqplib no longer exposes its socket: frames go to RabbitMQ one write each');
    }
    this.channel = await this.connection.createConfirmChannel();
    const dlx = `${this.exchange}.dlx`;
    const parking = `${this.topic}.DLQ`;
    await this.ensureExchanges([this.exchange, dlx]);
    await this.channel.assertQueue(parking, { durable: true });
    await this.channel.bindQueue(parking, dlx, parking);
    await this.channel.assertQueue(this.queue, {
      durable: true, arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': parking },
    });
    await this.channel.bindQueue(this.queue, this.exchange, this.topic);
  }

  /**
   * Declaring an exchange that exists needs the configure permission on it, which would also let
   * the worker delete it (README, RabbitMQ permissions): look first, passively, and declare only
   * an exchange that Baton has not made yet. A failed look closes its channel, so it gets its own.
   */
  private async ensureExchanges(names: string[]): Promise<void> {
    for (const name of names) {
      const probe = await this.connection!.createChannel();
      probe.on('error', () => undefined); // the 404 that closes it is the answer, not a failure
      const exists = await probe.checkExchange(name).then(() => true, () => false);
      if (exists) await probe.close();
      else await this.channel!.assertExchange(name, 'topic', { durable: true });
    }
  }

  private get queue(): string {
    return `${this.service}.${this.topic}`;
  }

  async start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    const channel = this.channel!;
    await channel.prefetch(slots.size);
    const { consumerTag } = await channel.consume(this.queue, (m) => m && this.deliver(m, receive));
    this.consumerTag = consumerTag;
  }

  async pause(): Promise<void> {
    if (this.consumerTag) await this.channel?.cancel(this.consumerTag);
    this.consumerTag = undefined;
  }

  async close(): Promise<void> {
    await this.pause();
    await this.channel?.close();
    await this.connection?.close();
  }

  private deliver(message: ConsumeMessage, receive: (delivery: Delivery) => void): void {
    const channel = this.channel!;
    let command;
    try {
      command = parseCommand(message.content);
    } catch (error) {
      this.logger.error({ queue: this.queue }, `not a command, dead-lettered: ${errorText(error)}`);
      channel.nack(message, false, false);
      return;
    }
    const send = (reply: WireReply) => new Promise<void>((resolve, reject) => {
      channel.publish(this.exchange, this.options.replyTopic ?? DEFAULT_REPLY_TOPIC, Buffer.from(JSON.stringify(reply)), {
        persistent: true, contentType: 'application/json', headers: { 'x-correlation-id': command.correlationId, ...currentTraceHeaders() },
      }, (error) => (error ? reject(error) : resolve()));
    });
    receive(brokerDelivery({
      command, trace: traceHeadersOf(message.properties.headers), send,
      ack: async () => channel.ack(message),
      requeue: async () => {
        // On a channel that closed meanwhile the broker has requeued the message already.
        try { channel.nack(message, false, true); } catch { /* requeued with the channel */ }
      },
    }));
  }
}
