import { createWorker, type TransportChoice, type Worker } from '@baton/worker';
import { randomUUID } from 'node:crypto';
import { serverSuite, type Driver } from '../../helpers/server-env';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A service with workers on both transports at once (moving from one to the other, say): Baton
 * consumes its commands for the HTTP pollers in the group its broker workers use, so each command
 * goes to one of them. On Kafka Baton used a group of its own (`<service>.<topic>`), so every
 * command was read by both groups and every step ran twice.
 */
describe.each<[Driver]>([['kafka'], ['rabbitmq']])('a service with HTTP and broker workers at once, on %s', (driver) => {
  const suite = serverSuite(driver);
  let t: TestApp;
  let env: Record<string, string>;
  const workers: Worker[] = [];

  beforeAll(async () => {
    env = await suite.env();
    t = await startTestApp({ ...env, STEP_TIMEOUT_SECONDS: '300' });
    await t.app.listen(0, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t?.close();
    await suite.cleanup();
  });

  it('runs each command once, on one of them', async () => {
    const orchName = `mixed${randomUUID().slice(0, 8)}`;
    const service = `svc-${orchName}`;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'mixed-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'charge', objectType: 'String' }] }).expect(201);
    const names = { commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, replyTopic: env.TOPIC_REPLY };
    const broker: TransportChoice = driver === 'kafka'
      ? { kafka: { brokers: env.KAFKA_BROKERS.split(','), ...names } } : { rabbitmq: { url: env.RABBITMQ_URL, ...names } };
    const ran = new Map<string, string[]>();
    for (const [name, transport] of [['broker', broker], ['http', 'http']] as Array<[string, TransportChoice]>) {
      const w = createWorker({ service, baton: { url: await t.app.getUrl() }, transport, handleSignals: false, logger: quiet });
      w.step(orchName, 'charge', { objectType: 'String', do: (cmd) => {
        ran.set(cmd.flowId, [...(ran.get(cmd.flowId) ?? []), name]);
        return { by: name };
      } });
      await w.start();
      workers.push(w);
    }

    const flowIds: string[] = [];
    for (let i = 0; i < 12; i++) flowIds.push((await execute(t, orchName, { i }).expect(202)).body.flowId);
    for (const flowId of flowIds) await waitForRun(t, flowId, 'COMPLETED', 60_000);
    // Given the time a second copy would take to arrive and run.
    await new Promise((r) => setTimeout(r, 2000));
    const twice = flowIds.filter((f) => (ran.get(f) ?? []).length !== 1).map((f) => `${f}: ${ran.get(f)?.join(', ')}`);
    expect(twice).toEqual([]);
  }, 180_000);
});
