import { createWorker, type Worker, type WorkerControl } from '@baton/worker';
import * as amqp from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectEventually } from '../../helpers/expect-eventually';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/**
 * RabbitMQ drops a message no queue is bound for, and still confirms it: a worker whose replyTopic
 * is not Baton's TOPIC_REPLY acked its commands for replies nobody got. The SDK publishes replies
 * mandatory, so RabbitMQ returns them. Baton is not involved: the command goes straight to the
 * worker's queue, on an exchange of this suite's own, and the reply to a queue of the test's.
 */
describe('an SDK worker on RabbitMQ whose reply topic no queue is bound to', () => {
  const ns = `sdknoroute${randomBytes(4).toString('hex')}`;
  const names = { exchange: ns, commandTopicPrefix: `${ns}.commands.`, replyTopic: `${ns}.reply` };
  const service = `${ns}-svc`;
  const topic = `${names.commandTopicPrefix}${service}`;
  const queue = `${service}.${topic}`;
  const replies = `${ns}.replies`;
  const control: WorkerControl = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
  let connection: amqp.ChannelModel;
  let channel: amqp.Channel;
  let worker: Worker | undefined;

  beforeAll(async () => {
    connection = await amqp.connect(url!);
    channel = await connection.createChannel();
    await channel.assertQueue(replies, { durable: false }); // bound only once the test says so
  });

  afterAll(async () => {
    await worker?.stop();
    for (const q of [queue, `${topic}.DLQ`, replies]) await channel.deleteQueue(q);
    for (const e of [names.exchange, `${names.exchange}.dlx`]) await channel.deleteExchange(e);
    await connection.close();
  });

  it('keeps its command, saying why, until a queue is bound: then replies, acks it, and has run the handler once', async () => {
    const errors: Array<{ fields: Record<string, unknown>; message: string }> = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (fields: Record<string, unknown>, message: string) => void errors.push({ fields, message }) };
    let ran = 0;
    worker = createWorker({ service, control, handleSignals: false, logger, transport: { rabbitmq: { url: url!, ...names } } });
    worker.step('order', 'charge', { objectType: 'Order', do: async () => { ran++; return { charged: true }; } });
    await worker.start();
    const flowId = randomUUID();
    const correlationId = randomUUID();
    channel.publish(names.exchange, topic, Buffer.from(JSON.stringify({
      flowId, orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: randomUUID(), objectType: 'Order',
      payload: {}, payloadEncoding: 'json', outputs: {}, correlationId, idempotencyKey: randomUUID(),
      deadline: new Date(Date.now() + 120_000).toISOString(),
    })), { persistent: true });

    // A second failure means the command came back (given back a second after the first), unacked.
    await expectEventually(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeoutMs: 10_000 });
    expect(errors[0]).toEqual({
      fields: expect.objectContaining({ flowId, step: 'charge', correlationId }),
      message: expect.stringContaining(`REPLY_UNROUTABLE: RabbitMQ returned the reply, as no queue is bound to routing key "${names.replyTopic}" on exchange "${ns}"`),
    });

    await channel.bindQueue(replies, names.exchange, names.replyTopic);
    const reply = await expectEventually(async () => {
      const message = await channel.get(replies, { noAck: true });
      if (!message) throw new Error('no reply yet');
      return message;
    }, { timeoutMs: 10_000 });
    expect(JSON.parse(reply.content.toString())).toMatchObject({ flowId, metadata: { status: 'SUCCESS' }, output: { charged: true } });
    await worker.stop();
    await sleep(200); // RabbitMQ requeues what the closed connection left unacknowledged
    expect(await channel.checkQueue(queue)).toMatchObject({ messageCount: 0, consumerCount: 0 });
    expect(ran).toBe(1); // every redelivery was answered by the result store
  }, 60_000);
});
