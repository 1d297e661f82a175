import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker, type Worker } from '@baton/worker';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * The SDK's Kafka transport commits offsets in the background; `stop()` must flush the commits
 * still due before it disconnects, or the next instance of the service gets those commands again.
 * Many commands through one worker, a stop right after the last run completed, then the broker's
 * own record: the group's committed offsets, and what a second instance receives.
 */
const RUNS = 40;
const STEPS = ['reserve', 'charge', 'ship'];
// On loopback a commit answers in about a millisecond, so a stop after the last run would find none
// due and pass without any flush. Answered this late, the commands finished while a commit is out
// wait behind it, and the last ones are still due when the test stops the worker.
const COMMIT_ROUND_TRIP_MS = 1_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('worker SDK on Kafka: a clean stop leaves nothing to redeliver', () => {
  const suite = serverSuite('kafka');
  let t: TestApp;
  let env: Record<string, string>;
  let admin: Admin;
  let orchName: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    env = await suite.env();
    t = await startTestApp(env);
    await t.app.listen(0, '127.0.0.1');
    admin = new Kafka({ clientId: 'kafka-commits-suite', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    orchName = `commits${randomUUID().slice(0, 8)}`;
    // A far timeout: a command that came again must reach the handler, not be dropped as expired.
    const steps = STEPS.map((s, i) => ({ seq: i + 1, name: s, objectType: 'Order', timeoutSeconds: 300 }));
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'commits-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps }).expect(201);
  }, 120_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await Promise.all(workers.map((w) => w.stop()));
    await admin?.disconnect();
    await t?.close();
    await suite.cleanup();
  });

  const service = () => `svc-${orchName}`;
  const commandTopic = () => `${env.COMMAND_TOPIC_PREFIX}${service()}`;

  async function startWorker(handled: () => void): Promise<Worker> {
    const w = createWorker({
      service: service(), baton: { url: await t.app.getUrl() }, handleSignals: false, logger: quiet,
      transport: { kafka: { brokers: env.KAFKA_BROKERS.split(','), commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, replyTopic: env.TOPIC_REPLY } },
    });
    workers.push(w);
    for (const step of STEPS) w.step(orchName, step, { objectType: 'Order', do: () => { handled(); return { step }; } });
    await w.start();
    return w;
  }

  /** Wraps the next consumers kafkajs makes (the worker's, in start()) so that each commit answers late. */
  function slowCommits(): jest.SpyInstance {
    const consumerOf = Kafka.prototype.consumer;
    return jest.spyOn(Kafka.prototype, 'consumer').mockImplementation(function (this: Kafka, config) {
      const consumer = consumerOf.call(this, config);
      const commit = consumer.commitOffsets;
      consumer.commitOffsets = async (offsets) => {
        await commit(offsets);
        await sleep(COMMIT_ROUND_TRIP_MS);
      };
      return consumer;
    });
  }

  /** Partition → offset: the topic's end (its high watermark), and what the service's group committed. */
  async function offsets(): Promise<{ end: Record<number, string>; committed: Record<number, string> }> {
    const end = await admin.fetchTopicOffsets(commandTopic());
    const [group] = await admin.fetchOffsets({ groupId: service(), topics: [commandTopic()] });
    return {
      end: Object.fromEntries(end.map((p) => [p.partition, p.high])),
      committed: Object.fromEntries(group.partitions.map((p) => [p.partition, p.offset])),
    };
  }

  it('commits every partition up to its end on stop(), and a new instance of the service gets no command again', async () => {
    let handled = 0;
    const slowed = slowCommits();
    const first = await startWorker(() => handled++);
    expect(slowed).toHaveBeenCalledWith(expect.objectContaining({ groupId: service() }));
    slowed.mockRestore(); // the second instance commits at the broker's own pace

    const flowIds = await Promise.all(Array.from({ length: RUNS }, async () => (await execute(t, orchName).expect(202)).body.flowId as string));
    await Promise.all(flowIds.map((flowId) => waitForRun(t, flowId, 'COMPLETED', 30_000)));
    await first.stop();

    const { end, committed } = await offsets();
    const sent = Object.values(end).reduce((sum, offset) => sum + Number(offset), 0);
    expect({ sent, handled }).toEqual({ sent: RUNS * STEPS.length, handled: RUNS * STEPS.length });
    expect(committed).toEqual(end);

    // Joined once start() resolves; a command left uncommitted would then arrive within one fetch.
    let redelivered = 0;
    const second = await startWorker(() => redelivered++);
    await sleep(2_000);
    await second.stop();
    expect(redelivered).toBe(0);
  });
});
