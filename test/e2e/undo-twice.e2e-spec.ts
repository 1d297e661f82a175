import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { expectEventually } from '../helpers/expect-eventually';
import type { ReceivedCommand } from '../helpers/received-command';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * An operator's undo clicked twice (embedded default). The worker answers every DO and holds its
 * UNDOs, so the run stays UNDOING until the test answers them.
 */
describe('undo of a run already undoing or undone', () => {
  let t: TestApp;
  const received: ReceivedCommand[] = [];

  const reply = (c: ReceivedCommand) => t.get(MessagePublisher).publish([{
    topic: t.config.TOPIC_REPLY, key: c.flowId, headers: {}, body: Buffer.from(JSON.stringify({
      flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, commandId: c.commandId, attempt: c.attempt,
      metadata: { status: 'SUCCESS' } })),
  }]);
  const undo = (flowId: string) => t.http.post(`/api/orchestration/undo/${flowId}`);
  const undosOf = (flowId: string) => received.filter((c) => c.flowId === flowId && c.action === 'UNDO');

  beforeAll(async () => {
    t = await startTestApp();
    await t.get(MessageConsumer).subscribe({ topic: `${t.config.COMMAND_TOPIC_PREFIX}wk`, group: 'wk', handler: async (m) => {
      const c = JSON.parse(m.body.toString()) as ReceivedCommand;
      received.push(c);
      if (c.action === 'DO') await reply(c);
    } });
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'owner')
      .send({ orchName: 'twice', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'book', objectType: 'String' }] }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'wk')
      .send({ orchName: 'twice', as: 'worker', steps: [{ name: 'book', objectType: 'String' }] }).expect(201);
  }, 120_000);
  afterAll(() => t.close());

  /** The second click got 409 RUN_NOT_UNDOABLE, where every other operator action answers 202 changed: false. */
  it('answers a second undo 202 changed: false, while UNDOING and once UNDONE, and sends the undo once', async () => {
    const { flowId } = (await execute(t, 'twice').expect(202)).body;
    await waitForRun(t, flowId, 'COMPLETED');

    expect((await undo(flowId).expect(202)).body).toEqual({ flowId, status: 'UNDOING', changed: true });
    const again = await undo(flowId).expect(202);
    expect(again.body).toEqual({ flowId, status: 'UNDOING', changed: false });
    expect(again.headers.location).toBe(`/api/orchestration/runs/${flowId}`);

    const [sent] = await expectEventually(() => {
      expect(undosOf(flowId)).toHaveLength(1);
      return undosOf(flowId);
    });
    await reply(sent);
    await waitForRun(t, flowId, 'UNDONE');
    expect((await undo(flowId).expect(202)).body).toEqual({ flowId, status: 'UNDONE', changed: false });

    const after = await waitForRun(t, flowId, 'UNDONE');
    expect(after.steps.filter((s) => s.action === 'UNDO').map((s) => [s.stepName, s.attempt, s.status])).toEqual([['book', 1, 'SUCCEEDED']]);
    expect(after.events.map((e) => e.kind)).toEqual(['UNDO_REQUESTED']);
    expect(undosOf(flowId)).toHaveLength(1);
  });

  it('still refuses an undo of a run that is running, with 409 RUN_NOT_UNDOABLE', async () => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'owner')
      .send({ orchName: 'idle', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'nobody', objectType: 'String' }] }).expect(201);
    const { flowId } = (await execute(t, 'idle').expect(202)).body;
    expect((await undo(flowId).expect(409)).body.code).toBe('RUN_NOT_UNDOABLE');
  });
});
