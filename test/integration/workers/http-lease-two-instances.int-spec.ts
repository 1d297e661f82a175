import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { StepHeartbeats } from '../../../src/engine/step-heartbeats.service';
import { HttpWorkerHub } from '../../../src/workers/http-worker-hub.service';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

const LEASE_MS = 1000;

interface Leased {
  leaseId: string;
  command: { flowId: string; orchName: string; stepName: string; action: string; attempt: number; commandId: string };
}

/**
 * Two Baton instances behind one load balancer, on one PostgreSQL and one RabbitMQ. An HTTP
 * worker leases its command from instance A, and its heartbeats and reply reach instance B, which
 * never leased it. The step must run once: B applies the reply, and A neither hands the command
 * out again while the heartbeats come nor after they stop because the reply was applied.
 */
describe('an HTTP worker whose lease is on one instance and whose replies reach another (rabbitmq)', () => {
  const suite = serverSuite('rabbitmq');
  let a: TestApp;
  let b: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { ...(await suite.env()), WORKER_LEASE_MS: String(LEASE_MS) };
    [a, b] = [await startTestApp({ ...env, INSTANCE_ID: 'engine-a' }), await startTestApp({ ...env, INSTANCE_ID: 'engine-b' })];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await suite.cleanup();
  });

  async function template(service: string): Promise<string> {
    const orchName = `lease${randomUUID().slice(0, 8)}`;
    await a.http.post('/api/orchestration/register').set('X-Service-Name', 'lease-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'charge', objectType: 'String', timeoutSeconds: 300 }] })
      .expect(201);
    await a.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName, as: 'worker', steps: [{ name: 'charge', objectType: 'String' }] }).expect(201);
    // Subscribes A to the service's commands (its queue exists from then on); B serves this service no poll at all.
    await a.http.get(`/api/workers/${service}/commands`).query({ wait: 0 }).expect(200, []);
    return orchName;
  }

  async function leaseOnA(service: string): Promise<Leased> {
    const [leased] = (await a.http.get(`/api/workers/${service}/commands`).query({ wait: 20_000 }).expect(200)).body;
    expect(leased).toBeDefined();
    return leased;
  }

  const reply = ({ command }: Leased, status: string) => ({ ...command, metadata: { status } });
  const post = (t: TestApp, service: string, leased: Leased, status: string) =>
    t.http.post(`/api/workers/${service}/leases/${leased.leaseId}/reply`).send(reply(leased, status));

  /** The command is gone from A for good: a poll past its lease gets nothing, and A holds nothing. */
  async function expectSettledOnA(service: string, flowId: string): Promise<void> {
    expect((await a.http.get(`/api/workers/${service}/commands`).query({ wait: LEASE_MS * 2.5 }).expect(200)).body).toEqual([]);
    expect(a.get(HttpWorkerHub).existingPool(service)?.size).toEqual({ ready: 0, leased: 0, polling: 0 });
    const [{ attempts }] = await a.get(DataSource).query(`SELECT count(*)::int AS attempts FROM orchestration_step_run WHERE flow_id = $1`, [flowId]);
    expect(attempts).toBe(1);
  }

  it('applies on B the reply to a command leased on A, and A does not lease it again', async () => {
    const service = 'lease-reply-b';
    const orchName = await template(service);
    const { flowId } = (await execute(a, orchName).expect(202)).body;
    const leased = await leaseOnA(service);
    await post(b, service, leased, 'SUCCESS').expect(200, { outcome: 'applied' });
    expect(b.get(HttpWorkerHub).existingPool(service)).toBeUndefined(); // B never held it
    await waitForRun(b, flowId, 'COMPLETED');
    await expectSettledOnA(service, flowId);
  });

  it("keeps A's lease alive with heartbeats that reach B", async () => {
    const service = 'lease-beat-b';
    const orchName = await template(service);
    const { flowId } = (await execute(a, orchName).expect(202)).body;
    const leased = await leaseOnA(service);
    const beating = (async () => {
      for (const end = Date.now() + LEASE_MS * 3; Date.now() < end; await sleep(LEASE_MS / 4)) {
        await post(b, service, leased, 'HEARTBEAT').expect(200, { outcome: 'heartbeat' });
      }
    })();
    // Another poller of A gets nothing for three lease periods: the step is not run twice.
    expect((await a.http.get(`/api/workers/${service}/commands`).query({ wait: LEASE_MS * 3 }).expect(200)).body).toEqual([]);
    await beating;
    await post(b, service, leased, 'SUCCESS').expect(200, { outcome: 'applied' });
    await waitForRun(a, flowId, 'COMPLETED');
    await expectSettledOnA(service, flowId);
  });

  it('accepts on B the drop of a command leased on A, which A acknowledges when the lease runs out past its deadline', async () => {
    const service = 'lease-drop-b';
    const orchName = await template(service);
    const { flowId } = (await execute(a, orchName).expect(202)).body;
    const leased = await leaseOnA(service);
    // The worker found the command past its deadline, and the healer has not timed the attempt out yet.
    await a.get(DataSource).query(
      `UPDATE orchestration_step_run SET deadline_at = clock_timestamp() - interval '1 second' WHERE command_id = $1`, [leased.command.commandId]);
    await b.http.delete(`/api/workers/intruder/leases/${leased.leaseId}`).expect(404); // another service's command: not found
    await b.http.delete(`/api/workers/${service}/leases/${leased.leaseId}`).expect(204);
    expect(b.get(HttpWorkerHub).existingPool(service)).toBeUndefined(); // B never held it
    await expectSettledOnA(service, flowId);
  });

  it("renews A's lease for a heartbeat recorded by B whose clock runs 10 minutes behind", async () => {
    const service = 'lease-skew-b';
    const orchName = await template(service);
    const { flowId } = (await execute(a, orchName).expect(202)).body;
    const leased = await leaseOnA(service);
    // Only B's Date lags, and only while it records (the database keeps its own clock): A's lease timer stays real.
    jest.useFakeTimers({ now: Date.now() - 10 * 60_000, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval',
      'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      // The step's timeout from the database's clock, whatever B's clock says: what a lease renewed for it is bounded by.
      expect(await b.get(StepHeartbeats).record({ ...leased.command, action: 'DO' })).toBe(300_000);
    } finally {
      jest.useRealTimers();
    }
    // A's lease runs out at 1 s and is renewed for the heartbeat 1 s old by the database's clock, not 10 min by B's.
    expect((await a.http.get(`/api/workers/${service}/commands`).query({ wait: LEASE_MS * 1.5 }).expect(200)).body).toEqual([]);
    await post(b, service, leased, 'SUCCESS').expect(200, { outcome: 'applied' });
    await waitForRun(a, flowId, 'COMPLETED');
    await expectSettledOnA(service, flowId);
  });

  it("moves the deadline by the step's timeout from the database's clock for a heartbeat recorded by B whose clock runs 10 minutes ahead", async () => {
    const service = 'lease-skew-deadline';
    const orchName = await template(service);
    const { flowId } = (await execute(a, orchName).expect(202)).body;
    const leased = await leaseOnA(service);
    jest.useFakeTimers({ now: Date.now() + 10 * 60_000, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval',
      'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      // The step's timeout from the database's clock, whatever B's clock says: what a lease renewed for it is bounded by.
      expect(await b.get(StepHeartbeats).record({ ...leased.command, action: 'DO' })).toBe(300_000);
    } finally {
      jest.useRealTimers();
    }
    // The healer compares it with the database's clock: by B's, a dead worker's step would be held 10 minutes past its 300 s.
    const [{ left }] = await a.get(DataSource).query(
      `SELECT extract(epoch from deadline_at - clock_timestamp())::float8 AS left FROM orchestration_step_run WHERE flow_id = $1`, [flowId]);
    expect(left).toBeGreaterThan(290);
    expect(left).toBeLessThanOrEqual(300);
    await post(a, service, leased, 'SUCCESS').expect(200, { outcome: 'applied' });
    await waitForRun(a, flowId, 'COMPLETED');
  });

  it("does not hand B a command leased on an instance that stopped meanwhile: its worker's reply to B completes the run", async () => {
    const service = 'lease-stop-c';
    // A lease as long as the default: it must outlast the stop, or it would expire first and C would return the command anyway.
    const c = await startTestApp({ ...env, WORKER_LEASE_MS: '60000', INSTANCE_ID: 'engine-c' });
    try {
      const orchName = await template(service);
      // A no longer serves the service, so C's lease is the only place the command can be.
      await a.get(HttpWorkerHub).releaseIdle(Date.now() + 10 * 60_000);
      await c.http.get(`/api/workers/${service}/commands`).query({ wait: 0 }).expect(200, []);
      const { flowId } = (await execute(c, orchName).expect(202)).body;
      const [leased] = (await c.http.get(`/api/workers/${service}/commands`).query({ wait: 20_000 }).expect(200)).body as Leased[];
      expect(leased).toBeDefined();
      await c.close();
      // Returned to the broker, it went to B's poller at once while its worker still ran it: the step ran twice.
      expect((await b.http.get(`/api/workers/${service}/commands`).query({ wait: 4_000 }).expect(200)).body).toEqual([]);
      await post(b, service, leased, 'SUCCESS').expect(200, { outcome: 'applied' });
      await waitForRun(b, flowId, 'COMPLETED');
      const [{ attempts }] = await b.get(DataSource).query(`SELECT count(*)::int AS attempts FROM orchestration_step_run WHERE flow_id = $1`, [flowId]);
      expect(attempts).toBe(1);
    } finally {
      await c.close().catch(() => undefined);
    }
  });
});
