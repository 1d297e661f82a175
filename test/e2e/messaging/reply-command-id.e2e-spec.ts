import { MessageConsumer } from '../../../src/messaging/message-consumer';
import { initiatorYaml } from '../../helpers/documents';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, TestApp } from '../../helpers/test-app';
import { TestWorker } from '../../helpers/test-worker';

/**
 * Every worker's broker user may write the reply topic: a service that learns a run's flowId (it
 * works one of its steps) could answer another service's step in the original format, which
 * names no command. With REPLY_COMMAND_ID=required, a reply must name the command it answers.
 */
describe('REPLY_COMMAND_ID=required', () => {
  let t: TestApp;
  let worker: TestWorker;
  const deadLetters: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ REPLY_COMMAND_ID: 'required' });
    worker = await new TestWorker(t, 'shop-worker').start();
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop')
      .send(initiatorYaml('order', 'sequential', ['reserve', 'charge'])).expect(201);
    await worker.register('order', ['reserve', 'charge']);
    await t.get(MessageConsumer).subscribe({ topic: `${t.config.TOPIC_REPLY}.DLQ`, group: 'test-observer', handler: async (m) => {
      deadLetters.push(m.headers['x-dead-letter-reason']);
    } });
  });
  afterAll(() => t.close());

  it('applies replies that name their command, and dead-letters one that names none, which changes nothing', async () => {
    const held = (await execute(t, 'order', { heldAt: 'charge' }).expect(202)).body.flowId as string;
    await expectEventually(() => expect(worker.commandsFor(held)).toEqual(['DO:reserve', 'DO:charge']));
    // Another service's forged success for the step in flight, in the original format.
    await worker.reply({ flowId: held, orchName: 'order', stepName: 'charge', action: 'DO' }, 'SUCCESS', { output: { forged: true } });
    await expectEventually(() => expect(deadLetters).toEqual([expect.stringContaining('commandId: required (REPLY_COMMAND_ID=required)')]));
    expect((await t.http.get(`/api/orchestration/runs/${held}`).expect(200)).body.steps[1]).toMatchObject({ stepName: 'charge', status: 'DISPATCHED' });
    worker.release();
    const run = await waitForRun(t, held, 'COMPLETED');
    expect(run.steps.map((step) => step.output)).toEqual([{ by: 'shop-worker', step: 'reserve' }, { by: 'shop-worker', step: 'charge' }]);
  });
});
