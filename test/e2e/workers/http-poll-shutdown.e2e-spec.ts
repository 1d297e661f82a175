import { createWorker } from '@baton/worker';
import { MAX_POLL_WAIT_MS } from '../../../src/workers/dto/worker-http.dto';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * Baton stopping while an HTTP worker long-polls: a poll that came in once the stop had begun (over
 * a kept-alive connection, after the worker's step ended) was held for its whole wait, and the stop
 * with it, past the 10 s a container runtime grants before SIGKILL. It is now refused at once (503),
 * so the stop takes what its own work takes. The poll waits as long as a poll may, and it began
 * after the stop did: a stop held by it could not end sooner, whatever the machine's speed.
 */
describe('Baton stopping while HTTP workers poll', () => {
  const WAIT_MS = MAX_POLL_WAIT_MS;
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  let t: TestApp | undefined;

  afterAll(async () => { await t?.close(); });

  it('does not wait for a poll that comes in while it stops', async () => {
    t = await startTestApp({ STEP_TIMEOUT_SECONDS: '600' });
    await t.app.listen(0, '127.0.0.1');
    const url = await t.app.getUrl();
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'stop-initiator')
      .send({ orchName: 'stopFlow', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'slow', objectType: 'String' }] }).expect(201);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let running = false;
    const worker = createWorker({
      service: 'stop-service', baton: { url }, transport: { http: { waitMs: WAIT_MS } }, handleSignals: false, logger: quiet, drainTimeoutMs: 1_000,
    });
    worker.step('stopFlow', 'slow', { objectType: 'String', do: async () => { running = true; await gate; return { done: true }; } });
    await worker.start();
    try {
      await execute(t, 'stopFlow').expect(202);
      await expectEventually(() => expect(running).toBe(true), { timeoutMs: 10_000 });
      const started = Date.now();
      const closing = t.close();
      t = undefined;
      // The step ends while Baton stops: the worker replies, and polls again.
      setTimeout(release, 300);
      await closing;
      expect(Date.now() - started).toBeLessThan(WAIT_MS);
    } finally {
      release();
      await worker.stop();
    }
  }, 3 * MAX_POLL_WAIT_MS);
});
