import { initiatorYaml, workerJson } from '../helpers/documents';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

/**
 * Every command carries the outputs of the steps before it, and the broker takes messages up to
 * MESSAGE_MAX_BYTES. A step whose output made the next command too big used to be refused at every
 * delivery of its reply, dead-lettered, and left waiting for its timeout.
 */
describe('a step output too big for the commands after it (embedded default)', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    t = await startTestApp({ MESSAGE_MAX_BYTES: '8000' });
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'svc')
      .send(initiatorYaml('oversized')).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'wrk').send(workerJson('oversized', ['createRealm', 'createClient']))
      .expect(201);
    worker = new TestWorker(t, 'wrk');
  }, 120_000);
  afterAll(() => t.close());

  it('fails its step for good at once, with the reason, and the run ends without waiting for a timeout', async () => {
    const { flowId } = (await execute(t, 'oversized', { tenant: 'acme' }).expect(202)).body;
    await waitForRun(t, flowId, 'RUNNING');
    await worker.reply({ flowId, orchName: 'oversized', stepName: 'createRealm', action: 'DO' }, 'SUCCESS', { output: { blob: 'x'.repeat(9000) } });
    const run = await waitForRun(t, flowId, undefined, 5_000);
    expect(run.status).toBe('FAILED');
    const step = (run as unknown as { steps: Array<{ stepName: string; action: string; status: string; error: string | null }> }).steps
      .find((s) => s.stepName === 'createRealm' && s.action === 'DO');
    expect(step).toMatchObject({ status: 'FAILED_FINAL', error: expect.stringMatching(/^OUTPUT_TOO_LARGE: A message for .* over the broker limit of 8000/) });
  });
});
