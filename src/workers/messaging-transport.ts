import { parseCommand, type Delivery, type Slots, type Transport, type WireCommand, type WireReply } from '@baton/worker';
import type { IncomingMessage } from '../messaging/message';
import { PoisonMessageError } from '../messaging/message';
import type { MessageConsumer } from '../messaging/message-consumer';
import type { MessagePublisher } from '../messaging/message-publisher';
import { tracing } from '../tracing/tracing';

export interface MessagingTransportOptions {
  service: string;
  commandTopic: string;
  replyTopic: string;
}

/**
 * The SDK's transport over Baton's own messaging ports, so that a worker built from the driver the
 * engine uses (the in-process broker included) runs on the SDK like an external one: the demo
 * worker inside Baton, and the benchmark's and crash test's echo worker.
 *
 * The port acknowledges a message when its handler resolves and redelivers it when the handler
 * throws, so the handler waits for the SDK to settle or drop the delivery, and rethrows a reply
 * that was not confirmed.
 */
export class MessagingTransport implements Transport {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly publisher: MessagePublisher,
    private readonly options: MessagingTransportOptions,
  ) {}

  get registration(): Record<string, string> {
    return { topic: this.options.commandTopic };
  }

  async start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    const { commandTopic: topic, service: group } = this.options;
    await this.consumer.subscribe({ topic, group, handler: (m) => this.deliver(m, receive, slots) });
  }

  // The subscription belongs to the host's consumer, which stops it with every other one
  // (MessageConsumer.stopAll): the port has no way to stop one subscription alone.
  async pause(): Promise<void> {}

  async close(): Promise<void> {}

  private async deliver(message: IncomingMessage, receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    let command: WireCommand;
    try {
      command = parseCommand(message.body);
    } catch (error) {
      throw new PoisonMessageError(`not a command: ${(error as Error).message}`);
    }
    await slots.whenFree();
    await new Promise<void>((resolve, reject) => receive({
      // The SDK continues the trace from traceparent/tracestate and ignores the other headers.
      command, trace: message.headers,
      settle: async (reply) => {
        try {
          await this.send(reply, command);
        } catch (error) {
          reject(error as Error);
          throw error;
        }
        resolve();
      },
      drop: async () => resolve(),
      heartbeat: (reply) => this.send(reply, command),
      // Throwing from the port's handler is how a message is redelivered.
      abandon: async () => reject(new Error('handling failed before a reply: delivered again')),
    }));
  }

  private send(reply: WireReply, command: WireCommand): Promise<void> {
    return this.publisher.publish([{
      topic: this.options.replyTopic, key: command.flowId, body: Buffer.from(JSON.stringify(reply)),
      // Sent from the SDK's handler span: the reply carries it back into the run's trace.
      headers: tracing.inject({ 'content-type': 'application/json', 'x-correlation-id': command.correlationId ?? '' }),
    }]);
  }
}
