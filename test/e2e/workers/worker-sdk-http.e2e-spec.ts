import { randomUUID } from 'node:crypto';
import { createWorker, type Worker, type WorkerOptions } from '@baton/worker';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { workerSdkContract } from '../../helpers/worker-sdk-contract';

// The HTTP transport on the embedded default (PGlite + in-process broker): what `npm start` offers.
workerSdkContract('HTTP on the embedded default', async () => ({ env: {}, transport: 'http' }));

/**
 * An output Baton refuses used to be recorded, refused, and replayed at every delivery until its
 * step timed out. Timeouts here are far away: a run that ends, ends on a reply.
 */
describe('worker SDK over HTTP: outputs Baton refuses', () => {
  const BODY_LIMIT = 64 * 1024;
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  let t: TestApp;
  let url: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT), STEP_TIMEOUT_SECONDS: '600', WORKER_LEASE_MS: '1500' });
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
  }, 120_000);
  afterEach(async () => { await Promise.all(workers.splice(0).map((w) => w.stop())); });
  afterAll(async () => { await t?.close(); });

  async function template(steps: object[]): Promise<{ orchName: string; service: string }> {
    const orchName = `out${randomUUID().slice(0, 8)}`;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'sdk-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps }).expect(201);
    return { orchName, service: `svc-${orchName}` };
  }

  function worker(service: string, extra: Partial<WorkerOptions> = {}): Worker {
    const w = createWorker({ service, baton: { url }, handleSignals: false, presenceMs: 500, logger: quiet, ...extra });
    workers.push(w);
    return w;
  }

  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };

  it('answers a lease reply 400 for an output with a NUL or nested past 100 levels, 413 over BODY_LIMIT_BYTES, and takes 100 levels', async () => {
    const { orchName, service } = await template([{ seq: 1, name: 'raw', objectType: 'String', timeoutSeconds: 600 }]);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName, as: 'worker', steps: [{ name: 'raw', objectType: 'String' }] }).expect(201);
    await t.http.get(`/api/workers/${service}/commands?wait=0&max=1`).expect(200); // Baton subscribes for the service
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const [lease] = (await t.http.get(`/api/workers/${service}/commands?wait=5000&max=1`).expect(200)).body;
    const reply = (output: unknown) => t.http.post(`/api/workers/${service}/leases/${lease.leaseId}/reply`).send({
      flowId, orchName, stepName: 'raw', action: 'DO', commandId: lease.command.commandId, attempt: lease.command.attempt,
      metadata: { status: 'SUCCESS', error: null }, output,
    });

    const nul = await reply({ name: 'a\u0000b' });
    expect([nul.status, nul.body.code, nul.body.problems]).toEqual([400, 'INVALID_REQUEST', [{ path: 'body.output', message: expect.stringMatching(/^output\.name contains a NUL/) }]]);
    const key = await reply({ ['k\u0000']: 1 });
    expect(key.status).toBe(400);
    const deep = await reply(nested(101));
    expect([deep.status, deep.body.problems[0].message]).toEqual([400, expect.stringMatching(/nested deeper than 100 levels$/)]);
    const big = await reply({ blob: 'x'.repeat(BODY_LIMIT) });
    expect([big.status, big.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    await reply(nested(100)).expect(200);
    const run = await waitForRun(t, flowId, 'COMPLETED', 5_000);
    expect(run.steps[0].output).toEqual(nested(100));
  });

  it('keeps the success of a handler whose output Baton would refuse, without the output, and unwinds the run at once, that step included', async () => {
    const retry = { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0 };
    const { orchName, service } = await template([
      { seq: 1, name: 'first', objectType: 'String', timeoutSeconds: 600 }, { seq: 2, name: 'bad', objectType: 'String', timeoutSeconds: 600, retry },
    ]);
    const undone: string[] = [];
    const w = worker(service);
    w.step(orchName, 'first', { objectType: 'String', do: () => ({ ok: 1 }), undo: () => { undone.push('first'); } });
    w.step(orchName, 'bad', { objectType: 'String', do: () => ({ name: 'a\u0000b' }), undo: () => { undone.push('bad'); } });
    await w.start();
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const run = await waitForRun(t, flowId, 'FAILED', 10_000);
    expect(run.steps.filter((s) => s.stepName === 'bad').map((s) => [s.action, s.attempt, s.status, s.error, s.output])).toEqual([
      ['DO', 1, 'SUCCEEDED', 'OUTPUT_REFUSED: output.name contains a NUL character (\\u0000) at 1, which Baton cannot store', null],
      ['UNDO', 1, 'SUCCEEDED', null, null],
    ]);
    expect(run.error).toMatch(/^DO bad succeeded, but its worker could not send its output, so the run unwinds, bad included: OUTPUT_REFUSED: /);
    expect(undone).toEqual(['bad', 'first']);
  });

  it('aborts the signal of a heartbeating handler once an operator terminated its run: Baton answers the heartbeat not-in-flight', async () => {
    const { orchName, service } = await template([{ seq: 1, name: 'long', objectType: 'String', timeoutSeconds: 600 }]);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const reasons: unknown[] = [];
    const w = worker(service, { autoHeartbeatMs: 100 });
    w.step(orchName, 'long', {
      objectType: 'String',
      do: (cmd) => new Promise((resolve) => {
        started();
        cmd.signal.addEventListener('abort', () => { reasons.push(cmd.signal.reason); resolve({ stopped: true }); });
      }),
    });
    await w.start();
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    await running;
    await t.http.post(`/api/orchestration/runs/${flowId}/terminate?compensate=false`).send({}).expect(202);
    await waitForRun(t, flowId, 'TERMINATED', 10_000);
    for (let i = 0; i < 100 && reasons.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(reasons).toEqual([expect.objectContaining({ code: 'ATTEMPT_ENDED', attempt: 1 })]);
  });

  it('replaces a success Baton answers 413 (maxReplyBytes set above its BODY_LIMIT_BYTES) by the success without its output, and the run unwinds', async () => {
    const { orchName, service } = await template([{ seq: 1, name: 'big', objectType: 'String', timeoutSeconds: 600 }]);
    let calls = 0;
    let undos = 0;
    const w = worker(service, { maxReplyBytes: 4 * BODY_LIMIT });
    w.step(orchName, 'big', { objectType: 'String', do: () => { calls++; return { blob: 'x'.repeat(2 * BODY_LIMIT) }; }, undo: () => { undos++; } });
    await w.start();
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const run = await waitForRun(t, flowId, 'FAILED', 10_000);
    expect(run.steps.map((s) => [s.action, s.attempt, s.status])).toEqual([['DO', 1, 'SUCCEEDED'], ['UNDO', 1, 'SUCCEEDED']]);
    expect(run.steps[0].error).toMatch(/^REPLY_REFUSED: Baton refused the SUCCESS reply, and would refuse it again: POST .* answered 413: .*PAYLOAD_TOO_LARGE/);
    expect([calls, undos]).toEqual([1, 1]);
  });
});
