import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker, MemoryResultStore, NonRetryableError, type TransportChoice, type Worker, type WorkerOptions } from '@baton/worker';
import { DataSource } from 'typeorm';
import { commandKeyOf } from '../../src/engine/dispatch/worker-step.dispatcher';
import type { OutgoingMessage } from '../../src/messaging/message';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { expectEventually } from './expect-eventually';
import { execute, waitForRun } from './runs';
import { startTestApp, type TestApp } from './test-app';

export interface ContractSetup {
  /** Settings for the app (DATABASE_URL, MESSAGING_DRIVER ...), beside the contract's own. */
  env: Record<string, string>;
  transport: TransportChoice;
  cleanup?: () => Promise<void>;
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What every transport must do for the SDK, from registration to a drain. */
export function workerSdkContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`worker SDK contract: ${name}`, () => {
    let t: TestApp;
    let url: string;
    let suite: ContractSetup;
    const workers: Worker[] = [];

    beforeAll(async () => {
      suite = await setup();
      // A fast healer, so that the heartbeat case can prove a 2 s timeout would have fired.
      t = await startTestApp({
        HEALER_INTERVAL_MS: '250', WORKER_LEASE_MS: '1500', READINESS: 'live', WORKER_PRESENCE_TTL_SECONDS: '2', ...suite.env,
      });
      await t.app.listen(0, '127.0.0.1');
      url = await t.app.getUrl();
    }, 120_000); // PGlite's initdb takes seconds, and far longer on a busy machine

    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    });

    afterAll(async () => {
      await t?.close();
      await suite?.cleanup?.();
    });

    /** A template of its own per test, owned by an initiator; its steps go to a service of its own. */
    async function template(steps: object[]): Promise<{ orchName: string; service: string }> {
      const orchName = `sdk${randomUUID().slice(0, 8)}`;
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'sdk-initiator')
        .send({ orchName, as: 'initiator', type: 'sequential', steps }).expect(201);
      return { orchName, service: `svc-${orchName}` };
    }

    function worker(service: string, extra: Partial<WorkerOptions> = {}): Worker {
      const w = createWorker({ service, baton: { url }, transport: suite.transport, handleSignals: false, presenceMs: 500, ...extra });
      workers.push(w);
      return w;
    }

    it('runs a template to COMPLETED with outputs passed along, and undoes it in reverse order', async () => {
      const { orchName, service } = await template([
        { seq: 1, name: 'createRealm', objectType: 'String' }, { seq: 2, name: 'createClient', objectType: 'String' },
      ]);
      const undone: string[] = [];
      const w = worker(service);
      w.step(orchName, 'createRealm', {
        objectType: 'String',
        do: (cmd) => ({ realmId: `r-${(cmd.payload as { tenant: string }).tenant}` }),
        undo: async () => { undone.push('createRealm'); },
      });
      w.step(orchName, 'createClient', {
        objectType: 'String',
        do: (cmd) => ({ clientOf: cmd.outputs.createRealm.realmId }),
        undo: async () => { undone.push('createClient'); },
      });
      await w.start();
      const { flowId } = (await execute(t, orchName, { tenant: 'acme' }).expect(202)).body;
      const run = await waitForRun(t, flowId, 'COMPLETED');
      expect(run.steps.find((s) => s.stepName === 'createClient')?.output).toEqual({ clientOf: 'r-acme' });
      await t.http.post(`/api/orchestration/undo/${flowId}`).expect(202);
      await waitForRun(t, flowId, 'UNDONE');
      expect(undone).toEqual(['createClient', 'createRealm']);
    });

    it('runs the handler once when a command is delivered twice: the copy gets the recorded result (over HTTP, never reaches the worker)', async () => {
      const { orchName, service } = await template([{ seq: 1, name: 'once', objectType: 'String' }]);
      const commands: unknown[] = [];
      const replays: string[] = [];
      const w = worker(service, { logger: { ...quiet, info: (f, m) => m.startsWith('already done') && replays.push(String(f.flowId)) } });
      w.step(orchName, 'once', { objectType: 'String', do: (cmd) => { commands.push(cmd); return { n: commands.length }; } });
      await w.start();
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      await waitForRun(t, flowId, 'COMPLETED');
      // The broker delivers the very same command again, as after a lost acknowledgement.
      const [sent]: OutgoingMessage[] = await t.get(DataSource).query(
        `SELECT topic, key, headers, body FROM outbox WHERE key = $1 AND topic = $2`, [commandKeyOf({ flowId, stepName: 'once' }), `${t.config.COMMAND_TOPIC_PREFIX}${service}`]);
      await t.get(MessagePublisher).publish([sent]);
      if (suite.transport === 'http') {
        // Baton, which consumes for HTTP pollers, acknowledges a copy of a command it settled lately
        // without handing it out: the run after it, queued behind the copy, completes, and the worker saw neither again.
        await waitForRun(t, (await execute(t, orchName).expect(202)).body.flowId, 'COMPLETED');
        expect({ commands: commands.length, replays }).toEqual({ commands: 2, replays: [] });
        return;
      }
      await expectEventually(() => expect(replays).toEqual([flowId]));
      expect(commands).toHaveLength(1);
    });

    it('gives a command back when the result store fails before any reply: the same attempt comes again', async () => {
      // A timeout far beyond the wait below: only a redelivery, not Baton's retry, can complete the run.
      const { orchName, service } = await template([{ seq: 1, name: 'stored', objectType: 'String', timeoutSeconds: 300 }]);
      const store = new MemoryResultStore();
      const lookups: string[] = [];
      const get = store.get.bind(store);
      store.get = async (key) => {
        lookups.push(key);
        if (lookups.length === 1) throw new Error('result store unreachable');
        return get(key);
      };
      let calls = 0;
      const w = worker(service, { store, logger: quiet });
      w.step(orchName, 'stored', { objectType: 'String', do: () => ({ n: ++calls }) });
      await w.start();
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      const run = await waitForRun(t, flowId, 'COMPLETED', 15_000);
      expect(lookups).toEqual([`${flowId}:stored:DO`, `${flowId}:stored:DO`]);
      expect(run.steps.map((s) => [s.attempt, s.status, s.output])).toEqual([[1, 'SUCCEEDED', { n: 1 }]]);
    });

    it('runs the handler once when a command is handed out again while its handler still runs', async () => {
      const { orchName, service } = await template([{ seq: 1, name: 'once', objectType: 'String' }]);
      let calls = 0;
      const w = worker(service, { concurrency: 4 });
      w.step(orchName, 'once', {
        objectType: 'String',
        // Outlives the 1.5 s lease (HTTP) so the command is handed out again while this still runs.
        do: async () => { calls++; await sleep(2500); return { n: calls }; },
      });
      await w.start();
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      const run = await waitForRun(t, flowId, 'COMPLETED', 15_000);
      expect(run.steps[0].output).toEqual({ n: 1 });
      await sleep(500);
      expect(calls).toBe(1);
    });

    it('fails a step at once on NonRetryableError, but retries an ordinary failure', async () => {
      const retry = { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 1, maxDelaySeconds: 1 };
      const { orchName, service } = await template([{ seq: 1, name: 'refuse', objectType: 'String', retry }]);
      const w = worker(service);
      w.step(orchName, 'refuse', {
        objectType: 'String',
        do: (cmd) => {
          if ((cmd.payload as { final: boolean }).final) throw new NonRetryableError('invalid tenant name');
          throw new Error('flaky');
        },
      });
      await w.start();
      const final = (await execute(t, orchName, { final: true }).expect(202)).body.flowId;
      const flaky = (await execute(t, orchName, { final: false }).expect(202)).body.flowId;
      const finalRun = await waitForRun(t, final, 'FAILED', 15_000);
      expect(finalRun.steps.map((s) => [s.attempt, s.status, s.error])).toEqual([[1, 'FAILED_FINAL', 'invalid tenant name']]);
      const flakyRun = await waitForRun(t, flaky, 'FAILED', 15_000);
      expect(flakyRun.steps.map((s) => s.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    });

    it('keeps a step with a 2 s timeout alive for 6 s with heartbeats', async () => {
      const { orchName, service } = await template([{ seq: 1, name: 'long', objectType: 'String', timeoutSeconds: 2 }]);
      const w = worker(service, { autoHeartbeatMs: 700 });
      w.step(orchName, 'long', { objectType: 'String', do: async () => { await sleep(6_000); return { done: true }; } });
      await w.start();
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      const run = await waitForRun(t, flowId, 'COMPLETED', 20_000);
      expect(run.steps).toHaveLength(1);
      expect(run.steps[0].lastHeartbeatAt).not.toBeNull();
    }, 30_000);

    it('times the same step out without heartbeats (the control for the case above)', async () => {
      const { orchName, service } = await template([{ seq: 1, name: 'long', objectType: 'String', timeoutSeconds: 2 }]);
      const w = worker(service);
      w.step(orchName, 'long', { objectType: 'String', do: async () => { await sleep(4_000); return { done: true }; } });
      await w.start();
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      await waitForRun(t, flowId, 'COMPLETED', 20_000);
      const run = (await t.http.get(`/api/orchestration/runs/${flowId}`)).body;
      expect(run.steps[0].status).toBe('TIMED_OUT');
    }, 30_000);

    it('times out a step with heartbeatSeconds when its heartbeats stop, though its timeout is far', async () => {
      const { orchName, service } = await template([{
        seq: 1, name: 'watched', objectType: 'String', timeoutSeconds: 600, heartbeatSeconds: 2, retry: { maxAttempts: 1 },
      }]);
      const w = worker(service);
      w.step(orchName, 'watched', {
        objectType: 'String',
        do: async (cmd) => {
          for (let i = 0; i < 3; i++) {
            await sleep(800);
            await cmd.heartbeat();
          }
          await sleep(8_000); // silent: the worker hangs
          return { done: true };
        },
      });
      await w.start();
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      const run = await waitForRun(t, flowId, 'FAILED', 20_000);
      const [attempt] = run.steps;
      expect(attempt.status).toBe('TIMED_OUT');
      expect(attempt.lastHeartbeatAt).not.toBeNull();
      // The heartbeats kept it past its first 2 s; silence ended it long before its 600 s timeout.
      const lived = new Date(attempt.completedAt!).getTime() - new Date(attempt.dispatchedAt).getTime();
      expect(lived).toBeGreaterThan(2_000);
      expect(lived).toBeLessThan(15_000);
    }, 30_000);

    it('with READINESS=live, makes the template PENDING when its last live worker stops, and READY when one starts', async () => {
      const { orchName, service } = await template([{ seq: 1, name: 'live', objectType: 'String' }]);
      const status = async () => (await t.http.get(`/api/orchestration/templates/${orchName}`)).body.status;
      const define = (w: Worker) => w.step(orchName, 'live', { objectType: 'String', do: () => ({ ok: true }) });
      const first = define(worker(service));
      await first.start();
      expect(await status()).toBe('READY');
      const presence = (await t.http.get(`/api/workers/${service}/instances`).expect(200)).body;
      expect(presence.instances).toEqual([expect.objectContaining({ sdkVersion: expect.any(String), host: expect.any(String) })]);
      expect(presence.steps).toEqual([expect.objectContaining({ orchName, stepName: 'live', liveInstances: 1 })]);
      const liveOf = async () => (await t.http.get(`/api/orchestration/templates/${orchName}`)).body.workers[0];
      expect(await liveOf()).toMatchObject({
        serviceName: service, stepName: 'live', liveInstances: 1, lastSeenAt: expect.any(String),
        instances: [{ instanceId: presence.instances[0].instanceId, host: expect.any(String), sdkVersion: expect.any(String) }],
      });
      await first.stop();
      await expectEventually(async () => expect(await status()).toBe('PENDING'), { timeoutMs: 10_000 });
      expect(await liveOf()).toMatchObject({ liveInstances: 0, lastSeenAt: null, instances: [] });
      // New runs park rather than time out while nobody is there...
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      expect((await t.http.get(`/api/orchestration/runs/${flowId}`)).body.status).toBe('WAITING_FOR_WORKERS');
      // ...and run once a worker is back.
      await define(worker(service)).start();
      await expectEventually(async () => expect(await status()).toBe('READY'), { timeoutMs: 10_000 });
      await waitForRun(t, flowId, 'COMPLETED', 15_000);
    });

    it('drains on stop(): the handler in flight finishes and its reply is applied', async () => {
      const { orchName, service } = await template([{ seq: 1, name: 'slow', objectType: 'String' }]);
      let started = false;
      const w = worker(service);
      w.step(orchName, 'slow', { objectType: 'String', do: async () => { started = true; await sleep(800); return { ok: 1 }; } });
      await w.start();
      const { flowId } = (await execute(t, orchName).expect(202)).body;
      while (!started) await sleep(10);
      await w.stop();
      expect(w.inFlight).toBe(0);
      const run = (await t.http.get(`/api/orchestration/runs/${flowId}`)).body;
      expect(run.status).toBe('COMPLETED');
    });
  });
}
