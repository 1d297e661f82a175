import { createWorker, type WireReply, type Worker } from '@baton/worker';
import * as amqp from 'amqplib';
import { RabbitMqTransport } from '../../../packages/worker/src/transports/rabbitmq-transport';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { serviceControls } from '../../helpers/broker-control';
import { servicesTool } from '../../helpers/readme-commands';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/**
 * An SDK worker on RabbitMQ outlives a broker restart, a channel error and its queue's deletion, by
 * reconnecting and consuming again. Before its transport recovered, it kept running with a dead connection (or
 * channel, or a consumer RabbitMQ had cancelled) and answered nothing, silently.
 * Baton is not involved: commands go straight to the worker's queue, as Baton publishes them.
 */
describe('an SDK worker on RabbitMQ across a broker restart, a channel error and a deleted queue', () => {
  const ns = `sdkrestart${randomUUID().slice(0, 8)}`;
  const names = { commandTopicPrefix: `${ns}.commands.`, replyTopic: `${ns}.reply` };
  const service = `${ns}-svc`;
  const warnings: string[] = [];
  let worker: Worker;
  let transport: RabbitMqTransport;

  beforeAll(async () => {
    const control = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
    const logger = { info: () => undefined, warn: (_: unknown, message: string) => void warnings.push(message), error: () => undefined };
    // The transport object itself, so a test can reach its channel; createWorker builds the same one from `{ rabbitmq }`.
    transport = new RabbitMqTransport(service, { url: url!, ...names }, logger);
    worker = createWorker({ service, control, handleSignals: false, logger, transport });
    worker.step('order', 'charge', { objectType: 'Order', do: (cmd) => ({ charged: cmd.flowId }) });
    await worker.start();
  }, 60_000);

  afterAll(() => worker?.stop());

  /** Sends one command on a connection of its own and waits (bounded) for the worker's reply. */
  async function roundTrip(timeoutMs: number): Promise<WireReply | undefined> {
    const connection = await amqp.connect(url!, { noDelay: true });
    try {
      const channel = await connection.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, 'baton', names.replyTopic);
      const flowId = randomUUID();
      channel.publish('baton', `${names.commandTopicPrefix}${service}`, Buffer.from(JSON.stringify({
        flowId, orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: randomUUID(), objectType: 'Order',
        payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: randomUUID(), idempotencyKey: randomUUID(),
        deadline: new Date(Date.now() + 120_000).toISOString(),
      })), { persistent: true });
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) {
        const message = await channel.get(queue, { noAck: true });
        if (message) return JSON.parse(message.content.toString()) as WireReply;
      }
      return undefined;
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  it('shows RabbitMQ its service as the connection name, and a 10 s heartbeat to find a half-open connection by', async () => {
    const listed = JSON.parse(await servicesTool('rabbitmqctl', ['list_connections', 'timeout', 'client_properties', '--formatter', 'json', '-q'])) as
      Array<{ timeout: number; client_properties: Array<[string, string, unknown]> }>;
    const ours = listed.filter((c) => c.client_properties.some(([key, , value]) => key === 'connection_name' && value === service));
    expect(ours.map((c) => c.timeout)).toEqual([10]);
  });

  it('answers a command sent after its channel was closed by a channel error', async () => {
    expect((await roundTrip(10_000))?.metadata.status).toBe('SUCCESS');
    const { channel } = transport as unknown as { channel: amqp.ConfirmChannel };
    channel.ack({ fields: { deliveryTag: 999_999 } } as never); // an unknown tag: RabbitMQ closes the channel (406)
    expect((await roundTrip(30_000))?.metadata.status).toBe('SUCCESS');
  }, 60_000);

  it('declares its queue again and answers a command sent after the queue was deleted under it', async () => {
    expect((await roundTrip(10_000))?.metadata.status).toBe('SUCCESS');
    const queue = `${service}.${names.commandTopicPrefix}${service}`;
    const connection = await amqp.connect(url!, { noDelay: true });
    try {
      await (await connection.createChannel()).deleteQueue(queue); // RabbitMQ cancels the worker's consumer
      // A command published before the queue is back would be unroutable: wait until it is consumed again.
      let consumers = 0;
      for (const end = Date.now() + 30_000; consumers === 0 && Date.now() < end; await sleep(100)) {
        const probe = await connection.createChannel();
        probe.on('error', () => undefined); // a 404 (not declared yet) closes the probe
        consumers = await probe.checkQueue(queue).then((q) => q.consumerCount, () => 0);
        await probe.close().catch(() => undefined);
      }
      expect(consumers).toBe(1);
    } finally {
      await connection.close().catch(() => undefined);
    }
    expect((await roundTrip(10_000))?.metadata.status).toBe('SUCCESS');
    expect(warnings.some((w) => w.startsWith('RabbitMQ cancelled the consumer'))).toBe(true);
  }, 60_000);

  it('answers a command sent after RabbitMQ was stopped and started again', async () => {
    expect((await roundTrip(10_000))?.metadata.status).toBe('SUCCESS');
    const controls = serviceControls('rabbitmq');
    await controls.stop();
    await controls.start();
    const reply = await roundTrip(30_000);
    expect(reply).toMatchObject({ stepName: 'charge', metadata: { status: 'SUCCESS' }, output: { charged: reply?.flowId } });
    expect(warnings.some((w) => w.startsWith('lost the RabbitMQ connection'))).toBe(true);
  }, 180_000);
});
