import { createWorker, type Worker } from '@baton/worker';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

const LEASE_MS = 2000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * An SDK worker over HTTP that starts while a command waits for its service. Its first poll, the
 * one that makes Baton subscribe, leases that command; the worker used to fail start() on it
 * ("unexpected command before start"), leaving the command leased, so a restarted worker with a
 * backlog failed again and again. Now it handles that command once started.
 */
describe('an SDK worker over HTTP that starts with a command waiting', () => {
  const suite = serverSuite('rabbitmq');
  let t: TestApp;
  const orchName = `backlog${randomUUID().slice(0, 8)}`;
  const service = `svc-${orchName}`;
  const workers: Worker[] = [];
  let ran = 0;

  async function startWorker(): Promise<Worker> {
    const worker = createWorker({ service, baton: { url: await t.app.getUrl() }, handleSignals: false, logger: quiet });
    workers.push(worker);
    worker.step(orchName, 'charge', { objectType: 'Order', do: () => ({ charged: ++ran }) });
    await worker.start();
    return worker;
  }

  beforeAll(async () => {
    t = await startTestApp({ ...(await suite.env()), WORKER_LEASE_MS: String(LEASE_MS) });
    await t.app.listen(0, '127.0.0.1');
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'backlog-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'charge', objectType: 'Order' }] })
      .expect(201);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t?.close();
    await suite.cleanup();
  });

  it('starts, and handles the command its first poll leased', async () => {
    await (await startWorker()).stop(); // registered, and Baton now holds the service's commands for pollers
    const flowId = (await execute(t, orchName).expect(202)).body.flowId as string;
    // Lease it by hand and let the lease run out: the command then waits at the front, for the next poll.
    const leased = await t.http.get(`/api/workers/${service}/commands?wait=10000&max=1`).expect(200);
    expect(leased.body).toHaveLength(1);
    await sleep(LEASE_MS + 500);
    await startWorker();
    const run = await waitForRun(t, flowId, 'COMPLETED', 20_000);
    expect(run.status).toBe('COMPLETED');
    expect(ran).toBe(1);
  }, 60_000);
});
