import { randomUUID } from 'node:crypto';
import { MessagePublisher } from '../../../src/messaging/message-publisher';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

interface Command { flowId: string; orchName: string; stepName: string; action: 'DO' | 'UNDO'; attempt: number; commandId: string }

/**
 * Behind a balancer a worker's reply may be applied by an instance other than the one holding its
 * command's lease. A step's commands are handed out one at a time, so until the holder lets go, the
 * step's next command (its UNDO, its retry) waits: for the whole lease (a minute by default), long
 * enough for an undo to time out unsent. The holder looks its leases up and lets go within seconds.
 */
describe('an HTTP lease whose reply another instance applied', () => {
  let t: TestApp;
  const service = 'answered-elsewhere';

  beforeAll(async () => {
    t = await startTestApp({ WORKER_LEASE_MS: '60000' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const lease = async (): Promise<{ command: Command; at: number }> => {
    const [leased] = (await t.http.get(`/api/workers/${service}/commands`).query({ wait: 20_000 }).expect(200)).body;
    expect(leased).toBeDefined();
    return { command: leased.command, at: Date.now() };
  };
  /** As another instance would apply it: from the reply topic, not through this instance's lease. */
  const replyElsewhere = (c: Command, status: 'SUCCESS' | 'FAILED') => t.get(MessagePublisher).publish([{ topic: t.config.TOPIC_REPLY, body: Buffer.from(JSON.stringify({
    flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId, metadata: { status, error: status === 'FAILED' ? 'no' : null },
  })) }]);

  it("hands the step's UNDO out within seconds, not once its DO's lease of a minute ran out", async () => {
    const orchName = `elsewhere${randomUUID().slice(0, 8)}`;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'elsewhere-initiator').send({ orchName, as: 'initiator', type: 'sequential',
      workers: [service], steps: [{ seq: 1, name: 'reserve', objectType: 'String', timeoutSeconds: 300 }, { seq: 2, name: 'charge', objectType: 'String', timeoutSeconds: 300 }] })
      .expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName, as: 'worker', steps: [{ name: 'reserve', objectType: 'String' }, { name: 'charge', objectType: 'String' }] }).expect(201);
    const { flowId } = (await execute(t, orchName).expect(202)).body;

    const reserve = await lease();
    expect([reserve.command.stepName, reserve.command.action]).toEqual(['reserve', 'DO']);
    await replyElsewhere(reserve.command, 'SUCCESS');
    const charge = await lease();
    await replyElsewhere(charge.command, 'FAILED');

    const undo = await lease();
    expect([undo.command.stepName, undo.command.action]).toEqual(['reserve', 'UNDO']);
    expect(undo.at - reserve.at).toBeLessThan(15_000);
    await replyElsewhere(undo.command, 'SUCCESS');
    await waitForRun(t, flowId, 'FAILED');
  }, 60_000);
});
