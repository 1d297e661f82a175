import { initiatorYaml } from '../helpers/documents';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

/*
 * A worker re-registering a step that a new template version retyped replaced its registration of
 * the old objectType, unchecked: runs started on the older version found no worker for that step's
 * later commands, undos included, and a step that had succeeded was never undone (a DELETE of the
 * same registration is refused 409 WORKER_IN_USE). The old registration now stays while runs under
 * way need it and no other worker takes it, and goes at the service's first registration after.
 */
export function retypedWorkerScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`a worker re-registering a step a new version retyped (${setting})`, () => {
    let t: TestApp;
    const ORCH = 'retypedUnderWay';

    beforeAll(async () => {
      t = await startTestApp(await env());
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    const registerTemplate = (holdType: string) => t.http.post('/api/orchestration/register')
      .set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop')
      .send(initiatorYaml(ORCH, 'sequential', ['hold', 'after']).replace('name: hold, objectType: String', `name: hold, objectType: ${holdType}`));
    const registerWorker = (service: string, holdType: string) => t.http.post('/api/orchestration/register').set('X-Service-Name', service)
      .send({ orchName: ORCH, as: 'worker', steps: [{ name: 'hold', objectType: holdType }, { name: 'after', objectType: 'String' }] });
    const holdRegistrations = async (service: string) => {
      const { body } = await t.http.get('/api/orchestration/workers').query({ orchName: ORCH, serviceName: service }).expect(200);
      return (body.items as Array<{ stepName: string; objectType: string }>).filter((w) => w.stepName === 'hold').map((w) => w.objectType).sort();
    };

    it("keeps serving the old objectType to the older version's runs, then lets it go once none needs it", async () => {
      await registerTemplate('String').expect(201);
      const worker = await new TestWorker(t, 'realms').start();
      await registerWorker('realms', 'String').expect(201);
      const run = (await execute(t, ORCH, { heldAt: 'hold', failAt: 'after' }).expect(202)).body;
      await expectEventually(() => expect(worker.commandsFor(run.flowId)).toEqual(['DO:hold']));

      expect((await registerTemplate('Integer').expect(201)).body).toMatchObject({ version: 2, status: 'PENDING', missingSteps: ['hold'] });
      expect((await registerWorker('realms', 'Integer').expect(201)).body).toMatchObject({ status: 'READY', missingSteps: [] });
      expect(await holdRegistrations('realms')).toEqual(['Integer', 'String']);

      // The run on version 1 goes on: its step after fails, and the undo of hold (String) reaches the worker.
      worker.release();
      await waitForRun(t, run.flowId, 'FAILED');
      expect(worker.commandsFor(run.flowId)).toEqual(['DO:hold', 'DO:after', 'UNDO:hold']);

      // No run needs hold as String any more: the next registration drops it.
      expect((await registerWorker('realms', 'Integer').expect(201)).body).toMatchObject({ outcome: 'CREATED', status: 'READY' });
      expect(await holdRegistrations('realms')).toEqual(['Integer']);
      expect((await registerWorker('realms', 'Integer').expect(200)).body.outcome).toBe('UNCHANGED');
    });
  });
}
