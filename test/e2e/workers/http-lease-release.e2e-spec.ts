import { randomUUID } from 'node:crypto';
import { createWorker, type Worker } from '@baton/worker';
import { HttpWorkerHub } from '../../../src/workers/http-worker-hub.service';
import { authOn, bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * An HTTP worker's first poll (prepare) may lease a waiting command before its start fails. Released,
 * that command goes to the next poller at once; left alone, it waited out the whole lease (a minute
 * here, as by default), so a second worker's first polls found nothing.
 */
describe('an HTTP lease handed back unanswered', () => {
  let t: TestApp;
  let url: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    t = await startTestApp({ WORKER_LEASE_MS: '60000', STEP_TIMEOUT_SECONDS: '600' });
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
  }, 120_000);
  afterEach(async () => { await Promise.all(workers.splice(0).map((w) => w.stop())); });
  afterAll(async () => { await t?.close(); });

  /** A template whose step `pack` the service works, with a run's command for it waiting in Baton's pool. */
  async function waitingCommand(): Promise<{ orchName: string; service: string; flowId: string }> {
    const orchName = `release${randomUUID().slice(0, 8)}`;
    const service = `svc-${orchName}`;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'release-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'pack', objectType: 'String', timeoutSeconds: 600 }] }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName, as: 'worker', steps: [{ name: 'pack', objectType: 'String' }] }).expect(201);
    await t.http.get(`/api/workers/${service}/commands?wait=0&max=1`).expect(200); // Baton subscribes for the service
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    await expectEventually(() => expect(t.get(HttpWorkerHub).existingPool(service)?.size.ready).toBe(1));
    return { orchName, service, flowId };
  }

  it("gives the command a failed start's first poll leased to the service's next worker at its first poll", async () => {
    const { orchName, service, flowId } = await waitingCommand();
    // A second template that lets only another service work its step: the first worker's registration is refused.
    const pinned = `pinned${randomUUID().slice(0, 8)}`;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'release-initiator')
      .send({ orchName: pinned, as: 'initiator', type: 'sequential', workers: ['someone-else'], steps: [{ seq: 1, name: 'seal', objectType: 'String' }] })
      .expect(201);
    const warnings: string[] = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (_fields: object, message: string) => void warnings.push(message) };
    const ran: string[] = [];
    const failing = createWorker({ service, baton: { url }, handleSignals: false, presenceMs: 500, logger })
      .step(orchName, 'pack', { objectType: 'String', do: async () => { ran.push('failing'); } })
      .step(pinned, 'seal', { objectType: 'String', do: async () => undefined });
    await expect(failing.start()).rejects.toThrow(/WORKER_NOT_ALLOWED/);
    expect(warnings).toContainEqual(expect.stringMatching(/^a command leased before start\(\) failed is handed back/));

    const startedAt = Date.now();
    const next = createWorker({ service, baton: { url }, handleSignals: false, presenceMs: 500, logger: { ...logger, warn: () => undefined } })
      .step(orchName, 'pack', { objectType: 'String', do: async () => { ran.push('next'); } });
    workers.push(next);
    await next.start();
    await waitForRun(t, flowId, 'COMPLETED', 10_000);
    expect(ran).toEqual(['next']);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  }, 30_000);

  it('answers a second release, or one under another service, as for a lease held elsewhere: 204 for its own command, 404 for another\'s', async () => {
    const { service, flowId } = await waitingCommand();
    const [lease] = (await t.http.get(`/api/workers/${service}/commands?wait=0&max=1`).expect(200)).body;
    expect(lease.command.flowId).toBe(flowId);
    const release = (owner: string, leaseId = lease.leaseId as string) => t.http.post(`/api/workers/${owner}/leases/${leaseId}/release`);
    await release(service).expect(204);
    await release(service).expect(204);
    const other = `other${randomUUID().slice(0, 8)}`;
    await t.http.get(`/api/workers/${other}/commands?wait=0&max=1`).expect(200);
    expect((await release(other).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await release(service, randomUUID()).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await release(service, 'not-a-lease').expect(400)).body.code).toBe('INVALID_REQUEST');
    // Released once, and not put back twice: one poll gets it, the next nothing.
    const [again] = (await t.http.get(`/api/workers/${service}/commands?wait=0&max=5`).expect(200)).body;
    expect([again.command.commandId, t.get(HttpWorkerHub).existingPool(service)?.size]).toEqual([lease.command.commandId, { ready: 0, leased: 1, polling: 0 }]);
  }, 30_000);
});

describe('an HTTP lease release with authentication on', () => {
  const admin = newAdminKey();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(authOn(admin));
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it("refuses a service key releasing a lease on another service's route (403), as the other lease routes do", async () => {
    const key = await issueKey(t, admin, 'service', 'release-own');
    const leaseId = `${randomUUID()}_${randomUUID()}_${randomUUID()}`;
    const refused = await t.http.post(`/api/workers/release-theirs/leases/${leaseId}/release`).set(bearer(key)).expect(403);
    expect(refused.body.code).toBe('SERVICE_NAME_MISMATCH');
    // Its own route: a lease id naming no attempt is no command of the service.
    await t.http.post(`/api/workers/release-own/leases/${leaseId}/release`).set(bearer(key)).expect(404);
  }, 30_000);
});
