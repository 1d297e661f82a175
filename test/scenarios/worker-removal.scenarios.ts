import { initiatorYaml, workerJson } from '../helpers/documents';
import { waitForRun } from '../helpers/runs';
import { startTestApp, type TestApp } from '../helpers/test-app';

/*
 * Taking a step's last worker away under runs in flight left their later commands for it, undos
 * included, with nowhere to go: they timed out, and a step that had succeeded was never undone.
 * The removal is now refused (409) unless another worker takes the step, no run is under way, or
 * the caller insists with force=true. Shared by the embedded e2e suite and the PostgreSQL suite,
 * where two removals at once really run side by side (PGlite serialises them).
 */
export function workerRemovalScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`removing a worker registration while runs are under way (${setting})`, () => {
    let t: TestApp;
    const ORCH = 'removalGuarded';

    beforeAll(async () => {
      t = await startTestApp(await env());
      await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop')
        .send(initiatorYaml(ORCH, 'sequential', ['hold'])).expect(201);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    /** Registers `service` as a worker of `hold` (nothing consumes its topic: a command stays unanswered) and returns the registration's id. */
    async function registerWorker(service: string, orchName = ORCH, objectType = 'String'): Promise<string> {
      const document = { ...workerJson(orchName, []), steps: [{ name: 'hold', objectType }] };
      await t.http.post('/api/orchestration/register').set('X-Service-Name', service).send(document).expect(201);
      const workers = await t.http.get('/api/orchestration/workers').query({ orchName, serviceName: service }).expect(200);
      return workers.body.items[0].id as string;
    }
    const registerTemplate = (orchName: string, objectType = 'String') => t.http.post('/api/orchestration/register')
      .set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop')
      .send(initiatorYaml(orchName, 'sequential', ['hold']).replace('objectType: String', `objectType: ${objectType}`));
    const remove = (id: string, query = '') => t.http.delete(`/api/orchestration/workers/${id}${query}`);

    it('refuses the last worker of a step while a run is under way, names the runs, and removes it once no run is', async () => {
      const holder = await registerWorker('holder');
      const run = await t.http.post(`/api/orchestration/execute/${ORCH}`).send({}).expect(202);
      await waitForRun(t, run.body.flowId, 'RUNNING');

      const refused = await remove(holder).expect(409);
      expect(refused.body).toMatchObject({
        code: 'WORKER_IN_USE', message: expect.stringContaining(`1 run of ${ORCH} under way would send their later hold commands`),
        problems: [{ path: 'query.force', message: '1 run under way, and no other worker takes hold' }],
      });

      // Another worker takes the step: either may go, not both (two removals at once cannot each count on the other).
      const spare = await registerWorker('spare');
      const [first, second] = await Promise.all([remove(holder), remove(spare)]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const left = first.status === 409 ? holder : spare;
      for (const spelling of ['maybe', 'yes', 'TRUE']) await remove(left, `?force=${spelling}`).expect(400);
      await remove(left, '?force=1').expect(200);
      expect((await t.http.get(`/api/orchestration/templates/${ORCH}`).expect(200)).body.status).toBe('PENDING');

      // Once the run has ended, nothing needs the step's worker.
      await t.http.post(`/api/orchestration/runs/${run.body.flowId}/terminate`).query({ compensate: 'false' }).send({ reason: 'test' }).expect(202);
      await waitForRun(t, run.body.flowId, 'TERMINATED');
      await remove(await registerWorker('holder'), '?force=false').expect(200);
    });

    it("goes by the objectType each run's own template version gives the step, as the engine routes its commands", async () => {
      const RETYPED = 'removalRetyped';
      await registerTemplate(RETYPED).expect(201);
      const holder = await registerWorker('holder', RETYPED);
      const run = await t.http.post(`/api/orchestration/execute/${RETYPED}`).send({}).expect(202);
      await waitForRun(t, run.body.flowId, 'RUNNING');

      // Version 2 gives the step another objectType, and a worker of it registers: the run started on
      // version 1 still sends its String commands to the first worker alone.
      expect((await registerTemplate(RETYPED, 'Integer').expect(201)).body).toMatchObject({ version: 2, missingSteps: ['hold'] });
      const retyped = await registerWorker('retyped', RETYPED, 'Integer');
      expect((await remove(holder).expect(409)).body.problems).toEqual([{ path: 'query.force', message: '1 run under way, and no other worker takes hold' }]);
      // No run under way has the step as Integer: the new worker takes nothing yet, and may go.
      await remove(retyped).expect(200);
      await t.http.post(`/api/orchestration/runs/${run.body.flowId}/terminate`).query({ compensate: 'false' }).send({ reason: 'test' }).expect(202);
      await waitForRun(t, run.body.flowId, 'TERMINATED');
      await remove(holder).expect(200);
    });
  });
}
