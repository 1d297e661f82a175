import { randomUUID } from 'node:crypto';
import { createWorker, type TransportChoice, type Worker } from '@baton/worker';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite, type Driver } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/*
 * One-run latency with the SDK per transport: RUNS sequential runs (SDK_LATENCY_RUNS, default 50)
 * of a 3-step template, each measured by the run's own timestamps (created → finished), so
 * polling for the result adds nothing. Prints p50 / p99 and the slowest (the same as p99 under 100
 * runs); the README's SDK section quotes them. Asserts only that every run completed: the
 * figures depend on the machine's load.
 */
const RUNS = Number(process.env.SDK_LATENCY_RUNS || 50);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`SDK_LATENCY_RUNS must be a whole number of runs, not ${process.env.SDK_LATENCY_RUNS}`);
const STEPS = ['reserve', 'charge', 'ship'];
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latencySuite(name: string, driver: Driver, transportOf: (env: Record<string, string>) => TransportChoice): void {
  describe(`one-run latency with the SDK: ${name}`, () => {
    let t: TestApp;
    let worker: Worker | undefined;
    let orchName: string;
    const suite = serverSuite(driver);

    beforeAll(async () => {
      const env = await suite.env();
      t = await startTestApp(env);
      await t.app.listen(0, '127.0.0.1');
      orchName = `lat${randomUUID().slice(0, 8)}`;
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'lat-initiator')
        .send({ orchName, as: 'initiator', type: 'sequential', steps: STEPS.map((s, i) => ({ seq: i + 1, name: s, objectType: 'Order' })) })
        .expect(201);
      worker = createWorker({
        service: `svc-${orchName}`, baton: { url: await t.app.getUrl() }, transport: transportOf(env), handleSignals: false, logger: quiet,
      });
      for (const step of STEPS) worker.step(orchName, step, { objectType: 'Order', do: (cmd) => ({ step: cmd.step }) });
      await worker.start();
    }, 120_000);

    afterAll(async () => {
      await worker?.stop();
      await t?.close();
      await suite.cleanup();
    });

    it(`completes ${RUNS} sequential runs and prints p50 / p99 and the slowest`, async () => {
      await waitForRun(t, (await execute(t, orchName).expect(202)).body.flowId, 'COMPLETED', 60_000); // warm-up: consumers joined
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await waitForRun(t, (await execute(t, orchName).expect(202)).body.flowId, 'COMPLETED', 30_000);
        ms.push(new Date(run.finishedAt!).getTime() - new Date(run.createdAt).getTime());
      }
      ms.sort((a, b) => a - b);
      process.stdout.write(`[latency] ${name}: ${RUNS} runs of ${STEPS.length} steps, p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, slowest ${ms[ms.length - 1]} ms\n`);
      expect(ms).toHaveLength(RUNS);
    }, Math.max(180_000, RUNS * 1000));
  });
}

const names = (env: Record<string, string>) => ({ commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, replyTopic: env.TOPIC_REPLY });

latencySuite('HTTP long-poll (Baton on PostgreSQL and RabbitMQ)', 'rabbitmq', () => 'http');
latencySuite('RabbitMQ', 'rabbitmq', (env) => ({ rabbitmq: { url: env.RABBITMQ_URL, ...names(env) } }));
latencySuite('Kafka', 'kafka', (env) => ({ kafka: { brokers: env.KAFKA_BROKERS.split(','), ...names(env) } }));
