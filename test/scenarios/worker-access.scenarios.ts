import { MessageConsumer } from '../../src/messaging/message-consumer';
import { initiatorYaml, workerJson } from '../helpers/documents';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

/*
 * Which services may register a template's steps as its versions change, with WORKER_ACCESS=pinned.
 * A worker re-sending its document (as at each restart) was refused for a step the current version
 * had dropped or not added yet, though the template named it: the whole registration failed. A new
 * version naming other workers dropped the registrations runs under way still needed, so their
 * undos went nowhere. And a topic of ALLOWED_WORKER_TOPIC_PATTERN had no owner: a second service
 * registered on it received copies of the first's commands.
 */
export function workerAccessScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`which services may register a template's steps, as its versions change (${setting})`, () => {
    let t: TestApp;
    /** Released before the app stops: a command one still holds, as after a failed expectation, would keep it from stopping. */
    const started: TestWorker[] = [];
    const startWorker = async (service: string) => {
      const worker = await new TestWorker(t, service).start();
      started.push(worker);
      return worker;
    };

    beforeAll(async () => {
      t = await startTestApp({ ...(await env()), WORKER_ACCESS: 'pinned', ALLOWED_WORKER_TOPIC_PATTERN: 'legacy\\..*' });
    }, 120_000);
    afterAll(async () => {
      for (const worker of started) worker.release();
      await t?.close();
    });

    const register = (service: string, body: string | object) => {
      const req = t.http.post('/api/orchestration/register').set('X-Service-Name', service);
      return typeof body === 'string' ? req.set('Content-Type', 'application/yaml').send(body) : req.send(body);
    };
    const registrations = async (orchName: string) => {
      const { body } = await t.http.get('/api/orchestration/workers').query({ orchName }).expect(200);
      return (body.items as Array<{ stepName: string; serviceName: string }>).map((w) => `${w.stepName}:${w.serviceName}`).sort();
    };

    it('lets a named worker send steps a newer version dropped or has not added yet, and refuses a service the template never named', async () => {
      const ORCH = 'accessAcrossVersions';
      await register('shop', initiatorYaml(ORCH, 'sequential', ['a', 'b'], ['svc-b'])).expect(201);
      expect((await register('svc-b', workerJson(ORCH, ['a', 'b'])).expect(201)).body.status).toBe('READY');
      await register('shop', initiatorYaml(ORCH, 'sequential', ['a'], ['svc-b'])).expect(201);

      // b stays for runs of version 1: the same document, sent again at the worker's restart, is unchanged.
      expect((await register('svc-b', workerJson(ORCH, ['a', 'b'])).expect(200)).body).toMatchObject({ outcome: 'UNCHANGED', unknownSteps: ['b'] });
      expect((await register('svc-b', workerJson(ORCH, ['a', 'c'])).expect(201)).body).toMatchObject({ outcome: 'CREATED', unknownSteps: ['c'] });
      const refused = await register('squatter', workerJson(ORCH, ['b', 'c'])).expect(403);
      expect(refused.body).toMatchObject({ code: 'WORKER_NOT_ALLOWED', problems: [
        { path: 'steps[0].name', message: 'b may be worked only by svc-b' },
        { path: 'steps[1].name', message: 'c is in no version of the template yet, and squatter is not named in its current version: '
          + 'only shop, svc-b may register it (WORKER_ACCESS=pinned)' },
      ] });

      // The version that adds c names other workers: svc-b's registration of c (and of a) goes, of b (version 1's) stays.
      await register('shop', initiatorYaml(ORCH, 'sequential', ['a', 'c'], ['svc-c'])).expect(201);
      expect(await registrations(ORCH)).toEqual(['b:svc-b']);
    });

    it('keeps a worker a new version names no more while runs under way need it, for them alone, until a worker it names takes over', async () => {
      const ORCH = 'accessRenamed';
      await register('shop', initiatorYaml(ORCH, 'sequential', ['hold', 'after'], ['holder'])).expect(201);
      const holder = await startWorker('holder');
      await holder.register(ORCH, ['hold', 'after']);
      const run = (await execute(t, ORCH, { heldAt: 'hold', failAt: 'after' }).expect(202)).body;
      await expectEventually(() => expect(holder.commandsFor(run.flowId)).toEqual(['DO:hold']));

      expect((await register('shop', initiatorYaml(ORCH, 'sequential', ['hold', 'after'], ['successor'])).expect(201)).body)
        .toMatchObject({ version: 2, status: 'PENDING', missingSteps: ['hold', 'after'] });
      expect(await registrations(ORCH)).toEqual(['after:holder', 'hold:holder']);
      // Its worker restarts, re-sending the same document: accepted unchanged (it was refused, and the worker could not start).
      // A registration it does not have yet, on another topic, is refused as before.
      expect((await register('holder', workerJson(ORCH, ['hold', 'after'])).expect(200)).body).toMatchObject({ outcome: 'UNCHANGED' });
      expect((await register('holder', workerJson(ORCH, ['hold'], 'legacy.holder')).expect(403)).body).toMatchObject({ code: 'WORKER_NOT_ALLOWED' });
      expect(await registrations(ORCH)).toEqual(['after:holder', 'hold:holder']);
      // A run of version 2 waits for a worker the version names, rather than going to the one it names no more.
      const later = (await execute(t, ORCH, {}).expect(202)).body;
      expect(later.status).toBe('WAITING_FOR_WORKERS');

      // The run of version 1 goes on with its worker, its undo included.
      holder.release();
      await waitForRun(t, run.flowId, 'FAILED');
      expect(holder.commandsFor(run.flowId)).toEqual(['DO:hold', 'DO:after', 'UNDO:hold']);

      const successor = await startWorker('successor');
      await successor.register(ORCH, ['hold', 'after']);
      expect(await registrations(ORCH)).toEqual(['after:successor', 'hold:successor']);
      await waitForRun(t, later.flowId, 'COMPLETED');
      expect(successor.commandsFor(later.flowId)).toEqual(['DO:hold', 'DO:after']);
      expect(holder.commandsFor(later.flowId)).toEqual([]);
    });

    it('refuses a pattern topic another service takes its commands on, also when both register it at once', async () => {
      await register('svc-a', workerJson('legacyA', ['x'], 'legacy.a')).expect(201);
      const refused = await register('svc-b', workerJson('legacyB', ['y'], 'legacy.a')).expect(400);
      expect(refused.body).toMatchObject({ code: 'WORKER_TOPIC_NOT_ALLOWED',
        problems: [{ path: 'topic', message: "legacy.a carries another service's commands: register on a topic of your own" }] });
      await register('svc-a', workerJson('legacyB', ['y'], 'legacy.a')).expect(201);
      await register('svc-b', workerJson('legacyB', ['y'], 'legacy.b')).expect(201);

      // A refused registration on a pattern topic leaves no queue of its service bound to it: that queue got
      // a copy of every command of the service that registered the topic next.
      const retainFor = jest.spyOn(t.get(MessageConsumer), 'retainFor');
      await register('shop', initiatorYaml('legacyPaid', 'sequential', ['pay'], ['payer'])).expect(201);
      expect((await register('lurker', workerJson('legacyPaid', ['pay'], 'legacy.pay')).expect(403)).body).toMatchObject({ code: 'WORKER_NOT_ALLOWED' });
      await register('payer', workerJson('legacyPaid', ['pay'], 'legacy.pay')).expect(201);
      expect(retainFor.mock.calls).toEqual([['legacy.pay', 'payer']]);
      retainFor.mockRestore();

      // Only PostgreSQL can show a missing topic lock here (PGlite runs one transaction at a time): worker-registrar.service.spec pins it.
      const both = await Promise.all(['svc-c', 'svc-d'].map((s) => register(s, workerJson(`legacyOf-${s}`, ['z'], 'legacy.c'))));
      expect(both.map((r) => r.status).sort()).toEqual([201, 400]);
    });
  });
}
