import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { Healer } from '../../src/healing/healer.service';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import type { ReceivedCommand } from '../helpers/received-command';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Every command carries the outputs of the steps before it. Step a of a parallel run succeeds
 * with an output just under MESSAGE_MAX_BYTES while b is in flight, so nothing is refused then;
 * b times out, and its retry (and a's undo) would carry a's output over the limit. The healer's
 * timeout was refused on every tick, and as the oldest deadline it came first in every tick,
 * which it ended: no other attempt ever timed out again.
 */
describe('a timed-out step whose retry is too big to send (embedded default)', () => {
  let t: TestApp;

  const steps = (onFailure?: 'pause') => [
    { seq: 1, name: 'a', objectType: 'String' },
    { seq: 1, name: 'b', objectType: 'String', timeoutSeconds: 1, ...(onFailure ? { onFailure } : {}) },
  ];
  const register = async (orchName: string, initiatorSteps: object[]) => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'owner')
      .send({ orchName, as: 'initiator', type: 'parallel', steps: initiatorSteps }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'wk').send({
      orchName, as: 'worker', steps: initiatorSteps.map((s) => ({ name: (s as { name: string }).name, objectType: 'String' })),
    }).expect(201);
  };
  const timeline = (run: RunDetailDto) => run.steps.map((s) => `${s.action}:${s.stepName}#${s.attempt}:${s.status}`);
  const stepB = (run: RunDetailDto) => run.steps.find((s) => s.stepName === 'b')!;

  beforeAll(async () => {
    t = await startTestApp({ HEALER_INTERVAL_MS: '300', MESSAGE_MAX_BYTES: '8192' });
    const publisher = t.get(MessagePublisher);
    // Only a answers (DO, with its big output); b and c never do.
    await t.get(MessageConsumer).subscribe({ topic: `${t.config.COMMAND_TOPIC_PREFIX}wk`, group: 'wk', handler: async (m) => {
      const c = JSON.parse(m.body.toString()) as ReceivedCommand;
      if (c.stepName !== 'a' || c.action !== 'DO') return;
      await publisher.publish([{ topic: t.config.TOPIC_REPLY, key: c.flowId, headers: {}, body: Buffer.from(JSON.stringify({
        flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, commandId: c.commandId, attempt: c.attempt,
        metadata: { status: 'SUCCESS' }, output: { blob: 'y'.repeat(7900) } })) }]);
    } });
    await register('wide', steps());
    await register('careful', steps('pause'));
    await register('other', [{ seq: 1, name: 'c', objectType: 'String', timeoutSeconds: 1 }]);
  }, 120_000);
  afterAll(() => t.close());

  it('fails the step for good, and ends a run whose undos cannot be sent either, while other timeouts go on', async () => {
    const wide = (await execute(t, 'wide').expect(202)).body.flowId;
    const other = (await execute(t, 'other').expect(202)).body.flowId;
    const run = await waitForRun(t, wide, undefined, 15_000);
    expect(run).toMatchObject({ status: 'COMPENSATION_FAILED', failedStep: 'b', error: expect.stringMatching(/^OUTPUT_TOO_LARGE: /) });
    // a's undo was never written: it could not be sent. a's effect is left for an operator.
    expect(timeline(run)).toEqual(['DO:a#1:SUCCEEDED', 'DO:b#1:FAILED_FINAL']);
    expect(stepB(run).error).toMatch(/^OUTPUT_TOO_LARGE: DO b attempt 1 got no reply .* over the broker limit of 8192/);
    // c ran out of its three attempts, one timeout after another: the healer kept working.
    expect(timeline(await waitForRun(t, other, 'FAILED', 15_000))).toEqual(['DO:c#1:TIMED_OUT', 'DO:c#2:TIMED_OUT', 'DO:c#3:TIMED_OUT']);
    expect(t.get(Healer).status()).toMatchObject({ lastError: null, lastFailed: 0 });
  }, 30_000);

  it('pauses a run whose failed step says pause: pausing sends nothing', async () => {
    const { flowId } = (await execute(t, 'careful').expect(202)).body;
    const run = await waitForRun(t, flowId, 'PAUSED', 15_000);
    expect(timeline(run)).toEqual(['DO:a#1:SUCCEEDED', 'DO:b#1:FAILED_FINAL']);
    expect(run.failedStep).toBe('b');
    expect(stepB(run).error).toMatch(/^OUTPUT_TOO_LARGE: /);
  }, 30_000);
});
