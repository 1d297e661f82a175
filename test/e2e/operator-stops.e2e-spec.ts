import { DataSource } from 'typeorm';
import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { expectEventually } from '../helpers/expect-eventually';
import type { ReceivedCommand } from '../helpers/received-command';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * How an operator's stop deals with commands it cannot send or take back (embedded default).
 * Step `big` succeeds with an output just under MESSAGE_MAX_BYTES, so its undo, which carries the
 * outputs, is over the limit; `held` steps are answered by the test, or never.
 */
describe('operator stops: commands not sent, undos too large to send', () => {
  let t: TestApp;
  const received: ReceivedCommand[] = [];

  const register = async (orchName: string, type: 'sequential' | 'parallel', names: string[]) => {
    const steps = names.map((name) => ({ seq: type === 'parallel' ? 1 : names.indexOf(name) + 1, name, objectType: 'String' }));
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'owner').send({ orchName, as: 'initiator', type, steps }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'wk')
      .send({ orchName, as: 'worker', steps: names.map((name) => ({ name, objectType: 'String' })) }).expect(201);
  };
  const reply = (c: ReceivedCommand, status: 'SUCCESS' | 'FAILED', output?: unknown) => t.get(MessagePublisher).publish([{
    topic: t.config.TOPIC_REPLY, key: c.flowId, headers: {}, body: Buffer.from(JSON.stringify({
      flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, commandId: c.commandId, attempt: c.attempt,
      metadata: { status }, output })),
  }]);
  const commandFor = (flowId: string, step: string) => expectEventually(() => {
    const c = received.find((x) => x.flowId === flowId && x.stepName === step && x.action === 'DO');
    expect(c).toBeDefined();
    return c!;
  });
  const action = (flowId: string, name: string, query = '') => t.http.post(`/api/orchestration/runs/${flowId}/${name}${query}`).send({});
  const outboxRow = async (commandId: string) =>
    (await t.get(DataSource).query('SELECT sent_at, dropped_at FROM outbox WHERE message_id = $1', [commandId]))[0];

  /** A `wide` run paused by an operator once big succeeded, on which held then failed: it waits, PAUSED, naming held. */
  const pausedOnFailure = async (): Promise<string> => {
    const { flowId } = (await execute(t, 'wide').expect(202)).body;
    const held = await commandFor(flowId, 'held');
    await expectEventually(async () => expect((await t.http.get(`/api/orchestration/runs/${flowId}`)).body.steps
      .find((s: RunDetailDto['steps'][number]) => s.stepName === 'big')?.status).toBe('SUCCEEDED'));
    await action(flowId, 'pause').expect(202);
    await reply(held, 'FAILED');
    await expectEventually(async () => expect((await waitForRun(t, flowId, 'PAUSED')).failedStep).toBe('held'));
    return flowId;
  };

  beforeAll(async () => {
    t = await startTestApp({ MESSAGE_MAX_BYTES: '8192' });
    await t.get(MessageConsumer).subscribe({ topic: `${t.config.COMMAND_TOPIC_PREFIX}wk`, group: 'wk', handler: async (m) => {
      const c = JSON.parse(m.body.toString()) as ReceivedCommand;
      received.push(c);
      if (c.stepName === 'big' && c.action === 'DO') await reply(c, 'SUCCESS', { blob: 'y'.repeat(7900) });
    } });
    await register('pair', 'parallel', ['sent', 'stalled']);
    await register('wide', 'parallel', ['big', 'held']);
    await register('solo', 'sequential', ['big']);
  }, 120_000);
  afterAll(() => t.close());

  it('terminate?compensate=false drops the unsent command of an attempt it abandons, and leaves a published one alone', async () => {
    const { flowId } = (await execute(t, 'pair').expect(202)).body;
    const sent = await commandFor(flowId, 'sent');
    const stalled = await commandFor(flowId, 'stalled');
    await expectEventually(async () => expect((await outboxRow(stalled.commandId)).sent_at).not.toBeNull());
    await expectEventually(async () => expect((await outboxRow(sent.commandId)).sent_at).not.toBeNull());
    // As when the broker is down: the relay holds the row's lease, and it goes out once the broker is back.
    await t.get(DataSource).query(`UPDATE outbox SET sent_at = NULL, available_at = now() + interval '1 hour', leased_by = 'relay-gone'
      WHERE message_id = $1`, [stalled.commandId]);

    expect((await action(flowId, 'terminate', '?compensate=false').expect(202)).body.status).toBe('TERMINATED');
    const run = await waitForRun(t, flowId, 'TERMINATED');
    expect(run.steps.map((s) => s.status)).toEqual(['ABANDONED', 'ABANDONED']);
    expect(await outboxRow(stalled.commandId)).toEqual({ sent_at: expect.any(Date), dropped_at: expect.any(Date) });
    expect(await outboxRow(sent.commandId)).toEqual({ sent_at: expect.any(Date), dropped_at: null });
  });

  it('compensate of a paused run whose undos are too large ends it COMPENSATION_FAILED with the reason; undo then changes nothing', async () => {
    const flowId = await pausedOnFailure();
    const res = await action(flowId, 'compensate').expect(202);
    expect(res.body).toMatchObject({ status: 'COMPENSATION_FAILED', changed: true });
    const run = await waitForRun(t, flowId, 'COMPENSATION_FAILED');
    expect(run).toMatchObject({ failedStep: 'held',
      error: expect.stringMatching(/^compensate requested by anonymous: no reason given; its undos cannot be sent: .*8192/) });
    expect(run.steps.filter((s) => s.action === 'UNDO')).toEqual([]);
    expect(run.events.map((e) => e.kind)).toContain('OPERATOR_COMPENSATE');

    // Its undo resumes the unwind, whose undo is still too large: refused, and nothing is recorded for the click.
    expect((await t.http.post(`/api/orchestration/undo/${flowId}`).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    const after = await waitForRun(t, flowId, 'COMPENSATION_FAILED');
    expect(after.events).toEqual(run.events);
  });

  it('terminate of a paused run whose undos are too large ends it COMPENSATION_FAILED with the reason', async () => {
    const flowId = await pausedOnFailure();
    expect((await action(flowId, 'terminate').expect(202)).body).toMatchObject({ status: 'COMPENSATION_FAILED', changed: true });
    const run = await waitForRun(t, flowId, 'COMPENSATION_FAILED');
    expect(run.error).toMatch(/^terminated by anonymous: no reason given; its undos cannot be sent: .*8192/);
    expect(run.steps.filter((s) => s.action === 'UNDO')).toEqual([]);
  });

  it('undo of a completed run whose undos are too large ends it UNDO_FAILED with the reason', async () => {
    const { flowId } = (await execute(t, 'solo').expect(202)).body;
    await waitForRun(t, flowId, 'COMPLETED');
    expect((await t.http.post(`/api/orchestration/undo/${flowId}`).expect(202)).body).toMatchObject({ status: 'UNDO_FAILED' });
    const run = await waitForRun(t, flowId, 'UNDO_FAILED');
    expect(run.error).toMatch(/its undos cannot be sent: .*8192/);
    expect(run.events.map((e) => e.kind)).toEqual(['UNDO_REQUESTED']);
  });
});
