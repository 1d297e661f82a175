import { createWorker } from '@baton/worker';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A worker that dies holding a command: its lease (WORKER_LEASE_MS, 60 s) held the step's next
 * command back, since the broker hands a step's commands over one at a time. The retry sent once
 * the attempt timed out waited, unrun, behind the dead lease and timed out too: a short step's
 * three timeouts fit inside one lease, and its run failed though a new worker was polling. A first
 * lease now ends shortly after its command's deadline.
 */
describe('a worker that dies holding a command', () => {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ HEALER_INTERVAL_MS: '300', STEP_TIMEOUT_SECONDS: '3' });
    await t.app.listen(0, '127.0.0.1');
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('holds its run back until the attempt\'s deadline, not for the whole lease: the retry runs on the next worker', async () => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'crash-initiator').send({
      orchName: 'crashFlow', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'quick', objectType: 'String', timeoutSeconds: 3 }],
    }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'crash-service')
      .send({ orchName: 'crashFlow', as: 'worker', steps: [{ name: 'quick', objectType: 'String' }] }).expect(201);
    await t.http.get('/api/workers/crash-service/commands?wait=0&max=1').expect(200); // Baton subscribes for the service
    const { flowId } = (await execute(t, 'crashFlow').expect(202)).body;
    // The first worker takes the command, and dies without a word.
    const [taken] = (await t.http.get('/api/workers/crash-service/commands?wait=5000&max=1').expect(200)).body;
    expect(taken.command).toMatchObject({ flowId, stepName: 'quick', attempt: 1 });

    const handled: number[] = [];
    const worker = createWorker({ service: 'crash-service', baton: { url: await t.app.getUrl() }, handleSignals: false, logger: quiet });
    worker.step('crashFlow', 'quick', { objectType: 'String', do: async (command) => { handled.push(command.attempt); return { ok: true }; } });
    await worker.start();
    try {
      const run = await waitForRun(t, flowId, 'COMPLETED', 30_000);
      expect(run.steps.map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:TIMED_OUT', '2:SUCCEEDED']);
      expect(handled).toEqual([2]);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it('holds its run back only until the deadline its last heartbeat gave, not for a whole lease after it', async () => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'crash-initiator').send({
      orchName: 'beatFlow', as: 'initiator', type: 'sequential',
      steps: [{ seq: 1, name: 'long', objectType: 'String', timeoutSeconds: 60, heartbeatSeconds: 5 }],
    }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'beat-service')
      .send({ orchName: 'beatFlow', as: 'worker', steps: [{ name: 'long', objectType: 'String' }] }).expect(201);
    await t.http.get('/api/workers/beat-service/commands?wait=0&max=1').expect(200); // Baton subscribes for the service
    const { flowId } = (await execute(t, 'beatFlow').expect(202)).body;
    // The first worker takes the command, sends one heartbeat, and dies.
    const [taken] = (await t.http.get('/api/workers/beat-service/commands?wait=5000&max=1').expect(200)).body;
    const { command } = taken;
    await t.http.post(`/api/workers/beat-service/leases/${taken.leaseId}/reply`).send({
      flowId, orchName: 'beatFlow', stepName: 'long', action: 'DO', attempt: command.attempt, commandId: command.commandId, metadata: { status: 'HEARTBEAT' },
    }).expect(200, { outcome: 'heartbeat' });
    const beatAt = Date.now();

    const handled: number[] = [];
    const worker = createWorker({ service: 'beat-service', baton: { url: await t.app.getUrl() }, handleSignals: false, logger: quiet });
    worker.step('beatFlow', 'long', { objectType: 'String', do: async (c) => { handled.push(c.attempt); return { ok: true }; } });
    await worker.start();
    try {
      // The heartbeat renewed the lease for 60 s (WORKER_LEASE_MS): the retry waited, unrun, past the run's patience.
      const run = await waitForRun(t, flowId, 'COMPLETED', 30_000);
      expect(run.steps.map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:TIMED_OUT', '2:SUCCEEDED']);
      expect(handled).toEqual([2]);
      expect(Date.now() - beatAt).toBeLessThan(20_000);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it("times out a heartbeatSeconds step at its timeoutSeconds from dispatch however its worker heartbeats, and aborts the handler's signal", async () => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'crash-initiator').send({
      orchName: 'boundFlow', as: 'initiator', type: 'sequential',
      steps: [{ seq: 1, name: 'endless', objectType: 'String', timeoutSeconds: 6, heartbeatSeconds: 2, retry: { maxAttempts: 1 } }],
    }).expect(201);
    const reasons: string[] = [];
    const worker = createWorker({ service: 'bound-service', baton: { url: await t.app.getUrl() }, handleSignals: false, logger: quiet, autoHeartbeatMs: 200 });
    worker.step('boundFlow', 'endless', {
      objectType: 'String',
      do: (c) => new Promise((resolve, reject) => {
        const done = setTimeout(resolve, 15_000, { finished: true });
        c.signal.addEventListener('abort', () => { clearTimeout(done); reasons.push((c.signal.reason as Error).message); reject(c.signal.reason); });
      }),
    });
    await worker.start();
    try {
      const started = Date.now();
      const { flowId } = (await execute(t, 'boundFlow').expect(202)).body;
      // Its heartbeats moved the deadline 2 s on each time, for ever: the step ran as long as its worker.
      const run = await waitForRun(t, flowId, 'FAILED', 20_000);
      expect(run.steps.map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:TIMED_OUT']);
      expect(Date.now() - started).toBeLessThan(14_000);
      for (let i = 0; i < 50 && reasons.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(reasons).toEqual([expect.stringMatching(/^ATTEMPT_ENDED: /)]);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it('keeps a heartbeatSeconds step without a timeoutSeconds of its own alive as long as its worker heartbeats (the default timeout is no bound)', async () => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'crash-initiator').send({
      orchName: 'aliveFlow', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'slow', objectType: 'String', heartbeatSeconds: 2 }],
    }).expect(201);
    const worker = createWorker({ service: 'alive-service', baton: { url: await t.app.getUrl() }, handleSignals: false, logger: quiet, autoHeartbeatMs: 200 });
    worker.step('aliveFlow', 'slow', { objectType: 'String', do: () => new Promise((resolve) => setTimeout(resolve, 5_000, { done: true })) });
    await worker.start();
    try {
      const { flowId } = (await execute(t, 'aliveFlow').expect(202)).body;
      // 5 s of work against STEP_TIMEOUT_SECONDS=3: its heartbeats carry it.
      const run = await waitForRun(t, flowId, 'COMPLETED', 20_000);
      expect(run.steps.map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:SUCCEEDED']);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
