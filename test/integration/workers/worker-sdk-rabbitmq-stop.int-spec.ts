import { createWorker, type WorkerControl } from '@baton/worker';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/**
 * A graceful stop keeps the ack of the last command. The transport once closed only the
 * connection: amqplib then sent the connection's close before the channel's pending ack, RabbitMQ
 * requeued the command, and another instance ran the step again. Baton is not involved: the
 * command goes straight to the worker's queue, on an exchange of this suite's own.
 */
describe('an SDK worker on RabbitMQ stopped right after it handled a command', () => {
  const ns = `sdkstop${randomUUID().slice(0, 8)}`;
  const names = { exchange: ns, commandTopicPrefix: `${ns}.commands.`, replyTopic: `${ns}.reply` };
  const service = `${ns}-svc`;
  const topic = `${names.commandTopicPrefix}${service}`;
  const queue = `${service}.${topic}`;
  const replies = `${ns}.replies`;
  const control: WorkerControl = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  let connection: amqp.ChannelModel;
  let channel: amqp.Channel;

  beforeAll(async () => {
    connection = await amqp.connect(url!);
    channel = await connection.createChannel();
    // Replies are published mandatory: with no queue bound to the reply topic, each would be returned and its command given back.
    await channel.assertExchange(names.exchange, 'topic', { durable: true });
    await channel.assertQueue(replies, { durable: false });
    await channel.bindQueue(replies, names.exchange, names.replyTopic);
  });

  afterAll(async () => {
    for (const q of [queue, `${topic}.DLQ`, replies]) await channel.deleteQueue(q);
    for (const e of [names.exchange, `${names.exchange}.dlx`]) await channel.deleteExchange(e);
    await connection.close();
  });

  function publishCommand(): void {
    channel.publish(names.exchange, topic, Buffer.from(JSON.stringify({
      flowId: randomUUID(), orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: randomUUID(), objectType: 'Order',
      payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: randomUUID(), idempotencyKey: randomUUID(),
      deadline: new Date(Date.now() + 120_000).toISOString(),
    })), { persistent: true });
  }

  it('leaves nothing on the queue for another instance to run again, stop after stop', async () => {
    const rounds = 5;
    let ran = 0;
    for (let round = 0; round < rounds; round++) {
      let handling!: () => void;
      const started = new Promise<void>((resolve) => (handling = resolve));
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const worker = createWorker({
        service, control, handleSignals: false, logger: quiet, transport: { rabbitmq: { url: url!, ...names } },
      });
      worker.step('order', 'charge', { objectType: 'Order', do: async () => { ran++; handling(); await finished; return { ok: true }; } });
      await worker.start();
      publishCommand();
      await started;
      // The stop waits for the handler; its reply, ack and close then come one right after the other.
      const stopped = worker.stop();
      finish();
      await stopped;
      await sleep(200); // RabbitMQ requeues what the closed connection left unacknowledged
      const { messageCount, consumerCount } = await channel.checkQueue(queue);
      expect({ round, messageCount, consumerCount }).toEqual({ round, messageCount: 0, consumerCount: 0 });
    }
    expect(ran).toBe(rounds);
  }, 60_000);
});
