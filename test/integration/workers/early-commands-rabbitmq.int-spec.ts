import { createWorker, type Worker } from '@baton/worker';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { serverSuite } from '../../helpers/server-env';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A service that registers its worker before anything of it consumes (a worker of its own that
 * registers first, or one whose start is slow): the commands Baton sends meanwhile must wait for
 * it. RabbitMQ drops a message no queue is bound for, so registering declares the service's queue.
 */
describe('RabbitMQ: commands sent between a worker registration and its first consumer', () => {
  const suite = serverSuite('rabbitmq');
  let t: TestApp;
  let env: Record<string, string>;
  let worker: Worker | undefined;

  beforeAll(async () => {
    env = await suite.env();
    t = await startTestApp(env);
    await t.app.listen(0, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await suite.cleanup();
  });

  it('wait in the service queue and run at the first attempt once the worker consumes', async () => {
    const orchName = `early${randomUUID().slice(0, 8)}`;
    const service = `svc-${orchName}`;
    const topic = `${env.COMMAND_TOPIC_PREFIX}${service}`;
    // A timeout far beyond the test: only the first command, kept, can complete the run.
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'early-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'charge', objectType: 'String', timeoutSeconds: 300 }] })
      .expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName, as: 'worker', steps: [{ name: 'charge', objectType: 'String' }] }).expect(201);

    const { flowId } = (await execute(t, orchName, { amount: 3 }).expect(202)).body;
    await expectEventually(async () => {
      const [{ sent }] = await t.get(DataSource).query('SELECT count(*)::int AS sent FROM outbox WHERE topic = $1 AND sent_at IS NOT NULL', [topic]);
      expect(sent).toBe(1);
    });
    const connection = await amqp.connect(env.RABBITMQ_URL);
    try {
      const channel = await connection.createChannel();
      expect((await channel.checkQueue(`${service}.${topic}`)).messageCount).toBe(1);
    } finally {
      await connection.close();
    }

    worker = createWorker({
      service, baton: { url: await t.app.getUrl() }, handleSignals: false,
      transport: { rabbitmq: { url: env.RABBITMQ_URL, commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, replyTopic: env.TOPIC_REPLY } },
    });
    worker.step(orchName, 'charge', { objectType: 'String', do: (cmd) => ({ charged: (cmd.payload as { amount: number }).amount }) });
    await worker.start();
    const run = await waitForRun(t, flowId, 'COMPLETED', 15_000);
    expect(run.steps.map((s) => [s.stepName, s.attempt, s.output])).toEqual([['charge', 1, { charged: 3 }]]);
  });
});
