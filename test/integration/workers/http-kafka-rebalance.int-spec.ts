import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

interface Leased {
  leaseId: string;
  command: { flowId: string; orchName: string; stepName: string; action: string; attempt: number; commandId: string };
}

/**
 * Two Baton instances consume a service's commands on Kafka for its HTTP workers. A worker holds a
 * command leased from instance A (a long step) when instance B starts serving the service, which
 * rebalances the group. A held the command in its batch until answered, so the rebalance waited
 * for the step (up to the rebalance timeout: then A was dropped, and the command ran elsewhere too),
 * and no command of the service moved meanwhile. A now hands it over: the rebalance ends at once,
 * the step's reply still completes its run, and no command is handed out twice.
 */
describe('HTTP workers on Kafka: a rebalance while a command is leased', () => {
  const suite = serverSuite('kafka');
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { ...(await suite.env()), STEP_TIMEOUT_SECONDS: '300', WORKER_LEASE_MS: '120000' };
    [a, b] = [await startTestApp({ ...env, INSTANCE_ID: 'engine-a' }), await startTestApp({ ...env, INSTANCE_ID: 'engine-b' })];
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await suite.cleanup();
  });

  const poll = async (t: TestApp, service: string, wait: number): Promise<Leased[]> =>
    (await t.http.get(`/api/workers/${service}/commands`).query({ wait, max: 10 }).expect(200)).body;

  it('ends at once, and every command is leased once', async () => {
    const orchName = `rebalance${randomUUID().slice(0, 8)}`;
    const service = `svc-${orchName}`;
    await a.http.post('/api/orchestration/register').set('X-Service-Name', 'rebalance-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'charge', objectType: 'String' }] }).expect(201);
    await a.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName, as: 'worker', steps: [{ name: 'charge', objectType: 'String' }] }).expect(201);

    const first = (await execute(a, orchName).expect(202)).body.flowId as string;
    let held: Leased | undefined;
    for (let i = 0; i < 60 && !held; i++) [held] = await poll(a, service, 1000);
    expect(held?.command.flowId).toBe(first);

    // B serves the service too: the group rebalances while A holds the command, leased and unanswered.
    await poll(b, service, 0);
    const later: string[] = [];
    for (let i = 0; i < 6; i++) later.push((await execute(a, orchName).expect(202)).body.flowId);
    const leased: Leased[] = [];
    const deadline = Date.now() + 30_000;
    while (leased.length < later.length && Date.now() < deadline) {
      leased.push(...(await Promise.all([poll(a, service, 1000), poll(b, service, 1000)])).flat());
    }
    expect(leased.map((l) => l.command.flowId).sort()).toEqual([...later].sort());

    // The held step ends: its reply reaches A, which still holds its lease, and completes its run.
    await a.http.post(`/api/workers/${service}/leases/${held!.leaseId}/reply`).send({ ...held!.command, metadata: { status: 'SUCCESS' } }).expect(200);
    await waitForRun(a, first, 'COMPLETED', 20_000);
    await sleep(3000);
    const again = [...(await poll(a, service, 0)), ...(await poll(b, service, 0))];
    expect(again).toEqual([]);
  }, 180_000);
});
