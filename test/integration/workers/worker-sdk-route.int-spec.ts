import { createWorker, WorkerRouteError, type TransportChoice } from '@baton/worker';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A worker whose broker, exchange or reply topic is not Baton's used to start and wait: its
 * commands went to a queue on another exchange, or its replies to a topic nobody reads, and runs
 * only timed out. Baton now tells a worker its route in the answer to the registration, and the
 * SDK refuses to start on another, naming the setting to change.
 */
describe('an SDK worker whose broker settings are not Baton\'s (Baton on PostgreSQL and RabbitMQ)', () => {
  const suite = serverSuite('rabbitmq');
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const ns = `route${randomUUID().slice(0, 8)}`;
  let t: TestApp;
  let env: Record<string, string>;
  let url: string;

  beforeAll(async () => {
    env = { ...(await suite.env()), RABBITMQ_EXCHANGE: ns };
    t = await startTestApp(env);
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
  });
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
    // The misrouted worker declared its exchange and queues before Baton's answer came.
    const connection = await amqp.connect(env.RABBITMQ_URL);
    const channel = await connection.createChannel();
    for (const e of [`${ns}-elsewhere`, `${ns}-elsewhere.dlx`]) await channel.deleteExchange(e);
    for (const service of ['misrouted', 'routed']) {
      const topic = `${env.COMMAND_TOPIC_PREFIX}${ns}-${service}`;
      for (const q of [`${ns}-${service}.${topic}`, `${topic}.DLQ`]) await channel.deleteQueue(q);
    }
    await connection.close();
  });

  const start = async (service: string, rabbitmq: Record<string, string>) => {
    const transport: TransportChoice = { rabbitmq: { url: env.RABBITMQ_URL, commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, ...rabbitmq } };
    const worker = createWorker({ service: `${ns}-${service}`, baton: { url }, transport, handleSignals: false, logger: quiet })
      .step(`${ns}Flow`, 'charge', { objectType: 'String', do: () => 1 });
    return { worker, started: worker.start() };
  };

  it('refuses to start, naming the reply topic and the exchange to set', async () => {
    const { started } = await start('misrouted', { exchange: `${ns}-elsewhere`, replyTopic: 'orchestrator.reply' });
    const error = await started.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerRouteError);
    expect((error as WorkerRouteError).problems).toEqual([
      `Baton reads replies on "${env.TOPIC_REPLY}" (TOPIC_REPLY), this worker sends them to "orchestrator.reply": set replyTopic: "${env.TOPIC_REPLY}"`,
      `Baton's exchange is "${ns}" (RABBITMQ_EXCHANGE), this worker's "${ns}-elsewhere": set exchange: "${ns}"`,
    ]);
  });

  it('starts with the settings it was told', async () => {
    const { worker, started } = await start('routed', { exchange: ns, replyTopic: env.TOPIC_REPLY });
    await expect(started).resolves.toBeUndefined();
    await worker.stop();
  });
});
