import { createWorker, WorkerRouteError, type TransportChoice } from '@baton/worker';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A worker whose broker, exchange or reply topic is not Baton's used to start and wait: its
 * commands went to a queue on another exchange, or its replies to a topic nobody reads, and runs
 * only timed out. The SDK now asks Baton its route first and refuses to start on another, naming
 * the setting to change, before it declares anything: a queue declared on the wrong exchange
 * could not be declared again with the right one. A run started meanwhile waits for the worker
 * started right.
 */
describe('an SDK worker whose broker settings are not Baton\'s (Baton on PostgreSQL and RabbitMQ)', () => {
  const suite = serverSuite('rabbitmq');
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const ns = `route${randomUUID().slice(0, 8)}`;
  const service = `${ns}-svc`;
  const orchName = `${ns}Flow`;
  let t: TestApp;
  let env: Record<string, string>;
  let url: string;

  beforeAll(async () => {
    env = { ...(await suite.env()), RABBITMQ_EXCHANGE: ns };
    t = await startTestApp(env);
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
    await t.http.post('/api/orchestration/register').set('X-Service-Name', `${ns}-shop`)
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'charge', objectType: 'String' }] }).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
    const connection = await amqp.connect(env.RABBITMQ_URL);
    const channel = await connection.createChannel();
    for (const e of [ns, `${ns}.dlx`]) await channel.deleteExchange(e);
    const topic = `${env.COMMAND_TOPIC_PREFIX}${service}`;
    for (const q of [`${service}.${topic}`, `${topic}.DLQ`]) await channel.deleteQueue(q);
    await connection.close();
  });

  const workerOn = (rabbitmq: Record<string, string>) => {
    const transport: TransportChoice = { rabbitmq: { url: env.RABBITMQ_URL, commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, ...rabbitmq } };
    return createWorker({ service, baton: { url }, transport, handleSignals: false, logger: quiet })
      .step(orchName, 'charge', { objectType: 'String', do: () => ({ charged: true }) });
  };

  it('refuses to start, naming the reply topic and the exchange to set, having declared nothing; started with them, it runs the commands sent meanwhile', async () => {
    const error = await workerOn({ exchange: `${ns}-elsewhere`, replyTopic: 'orchestrator.reply' }).start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerRouteError);
    expect((error as WorkerRouteError).problems).toEqual([
      `Baton reads replies on "${env.TOPIC_REPLY}" (TOPIC_REPLY), this worker sends them to "orchestrator.reply": set replyTopic: "${env.TOPIC_REPLY}"`,
      `Baton's exchange is "${ns}" (RABBITMQ_EXCHANGE), this worker's "${ns}-elsewhere": set exchange: "${ns}"`,
    ]);

    const connection = await amqp.connect(env.RABBITMQ_URL);
    const probe = await connection.createChannel();
    probe.on('error', () => undefined); // the 404 that closes it is the answer
    await expect(probe.checkExchange(`${ns}-elsewhere`)).rejects.toThrow(/NOT_FOUND/);
    await connection.close();

    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const routed = workerOn({ exchange: ns, replyTopic: env.TOPIC_REPLY });
    await routed.start();
    try {
      const run = await waitForRun(t, flowId, 'COMPLETED', 15_000);
      expect(run.steps.map((s) => [s.stepName, s.status, s.output])).toEqual([['charge', 'SUCCEEDED', { charged: true }]]);
    } finally {
      await routed.stop();
    }
  });
});
