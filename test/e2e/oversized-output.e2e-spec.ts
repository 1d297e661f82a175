import type { RunDetailDto } from '../../src/engine/dto/run.dto';
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
    // Timeouts far away: the run must end on the reply, not on a timeout.
    t = await startTestApp({ MESSAGE_MAX_BYTES: '8000', STEP_TIMEOUT_SECONDS: '600' });
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'svc')
      .send(initiatorYaml('oversized')).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'wrk').send(workerJson('oversized', ['createRealm', 'createClient']))
      .expect(201);
    worker = new TestWorker(t, 'wrk');
  }, 120_000);
  afterAll(() => t.close());
  const timeline = (run: RunDetailDto) => run.steps.map((s) => `${s.action}:${s.stepName}#${s.attempt}:${s.status}`);
  const stepB = (run: RunDetailDto) => run.steps.find((s) => s.stepName === 'b')!;

  it('keeps the step\'s success without its output and unwinds the run at once, that step\'s undo included', async () => {
    const { flowId } = (await execute(t, 'oversized', { tenant: 'acme' }).expect(202)).body;
    await waitForRun(t, flowId, 'RUNNING');
    await worker.reply({ flowId, orchName: 'oversized', stepName: 'createRealm', action: 'DO' }, 'SUCCESS', { output: { blob: 'x'.repeat(9000) } });
    const unwinding = await waitForRun(t, flowId, 'COMPENSATING', 5_000);
    expect(unwinding).toMatchObject({ failedStep: 'createRealm',
      error: expect.stringMatching(/^OUTPUT_TOO_LARGE: DO createRealm succeeded, but what follows cannot carry its output, so the run unwinds, createRealm included: A message for .* over the broker limit of 8000/) });
    // Its effect is real: it is undone like any succeeded step (a failed step's was left in place, under a run that read as compensated).
    await worker.reply({ flowId, orchName: 'oversized', stepName: 'createRealm', action: 'UNDO' }, 'SUCCESS');
    const run = await waitForRun(t, flowId, 'FAILED', 5_000);
    expect(timeline(run)).toEqual(['DO:createRealm#1:SUCCEEDED', 'UNDO:createRealm#1:SUCCEEDED']);
    const step = run.steps.find((s) => s.stepName === 'createRealm' && s.action === 'DO')!;
    expect(step).toMatchObject({ output: null, error: expect.stringMatching(/^OUTPUT_TOO_LARGE: A message for .* over the broker limit of 8000/) });
  });

  /** a succeeds with an output that fits nothing sent after it; b, in parallel, is then answered. */
  const failBesideBigOutput = async (orchName: string, aUndo: boolean, reply: Record<string, unknown>) => {
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'svc').send(
      `orchName: ${orchName}\nas: initiator\ntype: parallel\nsteps:\n  - {seq: 1, name: a, objectType: String, undo: ${aUndo}}\n`
      + '  - {seq: 1, name: b, objectType: String, retry: {maxAttempts: 3, backoff: fixed, initialDelaySeconds: 0}}\n').expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'wrk').send(workerJson(orchName, ['a', 'b'])).expect(201);
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    await waitForRun(t, flowId, 'RUNNING');
    await worker.reply({ flowId, orchName, stepName: 'a', action: 'DO' }, 'SUCCESS', { output: { blob: 'x'.repeat(7700) } });
    await worker.reply({ flowId, orchName, stepName: 'b', action: 'DO' }, 'FAILED', reply);
    return waitForRun(t, flowId, undefined, 5_000);
  };

  it('fails a step for good at once when its retry cannot be sent, and compensates', async () => {
    const run = await failBesideBigOutput('retryTooBig', false, {});
    expect(run.status).toBe('FAILED');
    expect(timeline(run)).toEqual(['DO:a#1:SUCCEEDED', 'DO:b#1:FAILED_FINAL']);
    expect(stepB(run).error).toMatch(/^OUTPUT_TOO_LARGE: b failed on purpose, and its retry cannot be sent: A message for .* over the broker limit of 8000/);
  });

  it('ends the run at once, effects in place, when the undos a failure calls for cannot be sent either', async () => {
    const run = await failBesideBigOutput('undoTooBig', true,
      { metadata: { status: 'FAILED', error: 'b failed on purpose', nonRetryable: true } });
    expect(run).toMatchObject({ status: 'COMPENSATION_FAILED', failedStep: 'b',
      error: expect.stringMatching(/^OUTPUT_TOO_LARGE: what DO b calls for cannot be sent: A message for .* over the broker limit of 8000/) });
    // a's undo was never written: it could not be sent. a's effect is left for an operator.
    expect(timeline(run)).toEqual(['DO:a#1:SUCCEEDED', 'DO:b#1:FAILED_FINAL']);
    expect(stepB(run).error).toBe('b failed on purpose');
  });
});
