import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { MessagePublisher } from '../../../src/messaging/message-publisher';
import { HttpWorkerHub } from '../../../src/workers/http-worker-hub.service';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

const LEASE_MS = 1000;

interface Command {
  flowId: string;
  orchName: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  commandId: string;
}

/**
 * Behind a load balancer a worker's reply, heartbeat or drop may reach an instance that did not lease
 * its command. On the embedded default one process plays both parts: an instance that never
 * polled the service gets the HTTP reply, and the leasing instance sees replies and heartbeats
 * arrive through the reply topic, as another instance would have written them. (Two instances on
 * one database and broker: test/integration/workers/http-lease-two-instances.int-spec.ts.)
 */
describe('HTTP worker replies and heartbeats that reach an instance without the lease', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WORKER_LEASE_MS: String(LEASE_MS) });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A one-step template of its own, worked by `service`. */
  async function template(service: string, steps = ['charge']): Promise<string> {
    const orchName = `lease${randomUUID().slice(0, 8)}`;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'lease-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: steps.map((name, i) => ({ seq: i + 1, name, objectType: 'String', timeoutSeconds: 300 })) })
      .expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName, as: 'worker', steps: steps.map((name) => ({ name, objectType: 'String' })) }).expect(201);
    return orchName;
  }

  async function dispatched(flowId: string, stepName: string): Promise<Command> {
    return expectEventually(async () => {
      const [row]: Command[] = await t.get(DataSource).query(
        `SELECT sr.flow_id AS "flowId", r.orch_name AS "orchName", sr.step_name AS "stepName", sr.action, sr.attempt, sr.command_id AS "commandId"
           FROM orchestration_step_run sr JOIN orchestration_run r ON r.flow_id = sr.flow_id
          WHERE sr.flow_id = $1 AND sr.step_name = $2 AND sr.status = 'DISPATCHED'`, [flowId, stepName]);
      expect(row).toBeDefined();
      return row;
    });
  }

  const reply = (c: Command, status: string) => ({
    flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId, metadata: { status },
  });

  async function lease(service: string): Promise<{ leaseId: string; command: Command }> {
    const [leased] = (await t.http.get(`/api/workers/${service}/commands`).query({ wait: 10_000 }).expect(200)).body;
    expect(leased).toBeDefined();
    return leased;
  }

  /** Writes a reply the way another instance would have: applied from the reply topic, not through this one's lease. */
  const replyElsewhere = (body: object) => t.get(MessagePublisher).publish([{ topic: t.config.TOPIC_REPLY, body: Buffer.from(JSON.stringify(body)) }]);

  it('leases nothing to a HEAD on the command poll: the command goes to the next GET at once', async () => {
    const service = 'lease-head';
    const orchName = await template(service);
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    await dispatched(flowId, 'charge');
    const head = await t.http.head(`/api/workers/${service}/commands`).query({ wait: 5_000 });
    expect([head.status, head.text]).toEqual([200, undefined]);
    // Well inside the lease: a command HEAD had leased would not come back before it expired.
    const polled = (await t.http.get(`/api/workers/${service}/commands`).query({ wait: LEASE_MS / 4 }).expect(200)).body;
    expect(polled.map((l: { command: Command }) => l.command.flowId)).toEqual([flowId]);
  });

  it("applies a reply that names a command of the service, without a lease here, and refuses another service's", async () => {
    const service = 'lease-elsewhere';
    const orchName = await template(service, ['charge', 'ship']);
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const charge = await dispatched(flowId, 'charge');

    // Another service's command is not found, exactly as one that does not exist: its existence is not confirmed.
    const intruder = await t.http.post(`/api/workers/intruder/leases/${randomUUID()}/reply`).send(reply(charge, 'SUCCESS')).expect(404);
    const missing = await t.http.post(`/api/workers/${service}/leases/${randomUUID()}/reply`).send(reply({ ...charge, commandId: randomUUID() }, 'SUCCESS'))
      .expect(404);
    expect([intruder.body.code, missing.body.code]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(intruder.body.message).toBe(`No command ${charge.commandId} of step charge (DO) of run ${flowId}`);

    await t.http.post(`/api/workers/${service}/leases/${randomUUID()}/reply`).send(reply(charge, 'HEARTBEAT')).expect(200, { outcome: 'heartbeat' });
    const [{ beat }] = await t.get(DataSource).query(
      `SELECT last_heartbeat_at AS beat FROM orchestration_step_run WHERE command_id = $1`, [charge.commandId]);
    expect(beat).not.toBeNull();

    await t.http.post(`/api/workers/${service}/leases/${randomUUID()}/reply`).send(reply(charge, 'SUCCESS')).expect(200, { outcome: 'applied' });
    await dispatched(flowId, 'ship'); // the run moved on
  });

  it('answers a reply in the original format (no commandId) with a 400 naming commandId', async () => {
    const res = await t.http.post(`/api/workers/lease-elsewhere/leases/${randomUUID()}/reply`)
      .send({ flowId: randomUUID(), orchName: 'x', stepName: 'y', action: 'DO', metadata: { status: 'SUCCESS' } }).expect(400);
    expect(res.body.problems).toEqual([{ path: 'body.commandId', message: expect.any(String) }]);
  });

  it('acknowledges, when its lease expires, a command whose reply was applied elsewhere, rather than lease it again', async () => {
    const service = 'lease-answered';
    const orchName = await template(service);
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const { command } = await lease(service);
    await replyElsewhere(reply(command, 'SUCCESS'));
    await waitForRun(t, flowId, 'COMPLETED');
    // Past the lease: the command must not come back.
    expect((await t.http.get(`/api/workers/${service}/commands`).query({ wait: LEASE_MS * 2.5 }).expect(200)).body).toEqual([]);
    expect(t.get(HttpWorkerHub).existingPool(service)?.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });

  it("accepts a drop of the service's command without its lease here, and its holder acknowledges the command past its deadline", async () => {
    const service = 'lease-dropped';
    const orchName = await template(service);
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const { leaseId, command } = await lease(service);
    expect(leaseId.startsWith(`${flowId}_${command.commandId}_`)).toBe(true);
    // What this instance sees of a lease held by another one: the same command named, under another lease.
    const elsewhere = (commandId: string) => `${flowId}_${commandId}_${randomUUID()}`;
    await t.http.delete(`/api/workers/${service}/leases/${elsewhere(command.commandId)}`).expect(204);
    const intruder = await t.http.delete(`/api/workers/intruder/leases/${elsewhere(command.commandId)}`).expect(404);
    expect(intruder.body.code).toBe('NOT_FOUND');
    await t.http.delete(`/api/workers/${service}/leases/${elsewhere(randomUUID())}`).expect(404);
    await t.http.delete(`/api/workers/${service}/leases/${randomUUID()}`).expect(404);

    // The worker dropped it for its deadline, which the healer has not acted on yet.
    await t.get(DataSource).query(
      `UPDATE orchestration_step_run SET deadline_at = clock_timestamp() - interval '1 second' WHERE command_id = $1`, [command.commandId]);
    expect((await t.http.get(`/api/workers/${service}/commands`).query({ wait: LEASE_MS * 2.5 }).expect(200)).body).toEqual([]);
    expect(t.get(HttpWorkerHub).existingPool(service)?.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });

  it('renews a lease while heartbeats arrive elsewhere, and offers the command again once they stop', async () => {
    const service = 'lease-heartbeats';
    const orchName = await template(service);
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const { command } = await lease(service);
    const beating = (async () => {
      for (const end = Date.now() + LEASE_MS * 3; Date.now() < end; await sleep(LEASE_MS / 4)) await replyElsewhere(reply(command, 'HEARTBEAT'));
    })();
    // Another poller gets nothing for three lease periods...
    expect((await t.http.get(`/api/workers/${service}/commands`).query({ wait: LEASE_MS * 3 }).expect(200)).body).toEqual([]);
    await beating;
    // ...and the command once the heartbeats stopped: its worker is presumed gone.
    const again = await lease(service);
    expect(again.command.commandId).toBe(command.commandId);
    await t.http.post(`/api/workers/${service}/leases/${again.leaseId}/reply`).send(reply(command, 'SUCCESS')).expect(200, { outcome: 'applied' });
    await waitForRun(t, flowId, 'COMPLETED');
  });
});
