import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

type Step = RunDetailDto['steps'][number];

/** The diamond a → b, c → d: b and c depend on a, d on both; `b` pauses the run when it fails. */
const DIAMOND = {
  orchName: 'diamond', as: 'initiator', type: 'dag',
  steps: [
    { name: 'a', objectType: 'String' },
    { name: 'b', objectType: 'String', dependsOn: ['a'], onFailure: 'pause' },
    { name: 'c', objectType: 'String', dependsOn: ['a'] },
    { name: 'd', objectType: 'String', dependsOn: ['b', 'c'] },
  ],
};

/** The diamond where both branches pause the run when they fail. */
const TWIN_PAUSE = {
  ...DIAMOND, orchName: 'twin-pause',
  steps: DIAMOND.steps.map((step) => (step.name === 'c' ? { ...step, onFailure: 'pause' } : step)),
};

/** DAG templates, shared by the embedded e2e suite and the real-server suites. */
export function dagScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`DAG templates (${setting})`, () => {
    let t: TestApp;
    let worker: TestWorker;
    const register = (doc: object) => t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop').send(doc);
    const ofRun = (flowId: string, step: string) => worker.commands.find((c) => c.flowId === flowId && c.stepName === step && c.action === 'DO');

    beforeAll(async () => {
      t = await startTestApp(await env());
      worker = await new TestWorker(t, 'dag-worker').start();
      await register(DIAMOND).expect(201);
      await register(TWIN_PAUSE).expect(201);
      await worker.register('diamond', ['a', 'b', 'c', 'd']);
      await worker.register('twin-pause', ['a', 'b', 'c', 'd']);
    });
    afterAll(() => t.close());

    it('runs b and c in parallel once a succeeded, and d last', async () => {
      const { body } = await execute(t, 'diamond', { silentAt: 'b' }).expect(202);
      // b is held: c still runs and succeeds, and d waits for b.
      await expectEventually(async () => {
        const run = (await t.http.get(`/api/orchestration/runs/${body.flowId}`)).body as RunDetailDto;
        expect(run.steps.map((s: Step) => `${s.stepName}:${s.status}`)).toEqual(['a:SUCCEEDED', 'b:DISPATCHED', 'c:SUCCEEDED']);
      });
      const b = ofRun(body.flowId, 'b')!;
      await worker.reply(b, 'SUCCESS', { commandId: b.commandId, attempt: b.attempt, output: { from: 'b' } });
      await waitForRun(t, body.flowId, 'COMPLETED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:a', 'DO:b', 'DO:c', 'DO:d']);
      expect(Object.keys(ofRun(body.flowId, 'd')!.outputs).sort()).toEqual(['a', 'b', 'c']);
    });

    it('undoes c and b before a when d fails', async () => {
      const { body } = await execute(t, 'diamond', { failAt: 'd' }).expect(202);
      const run = await waitForRun(t, body.flowId, 'FAILED');
      const undos = worker.commandsFor(body.flowId).filter((c) => c.startsWith('UNDO'));
      expect(undos.slice(0, 2).sort()).toEqual(['UNDO:b', 'UNDO:c']);
      expect(undos[2]).toBe('UNDO:a');
      expect(run.failedStep).toBe('d');
    });

    it('retries a failed step while another branch is still in flight: the run stays RUNNING', async () => {
      const { body } = await execute(t, 'diamond', { failAt: 'b', failAttempts: 1, silentAt: 'c' }).expect(202);
      await expectEventually(async () => {
        const run = (await t.http.get(`/api/orchestration/runs/${body.flowId}`)).body as RunDetailDto;
        expect(run.status).toBe('RUNNING');
        expect(run.steps.map((s: Step) => `${s.stepName}:${s.status}`)).toEqual(['a:SUCCEEDED', 'b:FAILED', 'c:DISPATCHED']);
        expect(run.allowedActions).toContain('retry');
      });
      await t.http.post(`/api/orchestration/runs/${body.flowId}/retry`).send({ stepName: 'b' }).expect(202);
      const c = ofRun(body.flowId, 'c')!;
      await expectEventually(() => expect(worker.commandsFor(body.flowId)).toContain('DO:b'));
      await worker.reply(c, 'SUCCESS', { commandId: c.commandId, attempt: c.attempt });
      await waitForRun(t, body.flowId, 'COMPLETED');
      expect(worker.commandsFor(body.flowId).filter((x) => x === 'DO:b')).toHaveLength(2);
    });

    it('skipping one of two failed branches pauses the run again on the other, and the run says so as its event does', async () => {
      const { body } = await execute(t, 'twin-pause', { failAt: ['b', 'c'] }).expect(202);
      const paused = await waitForRun(t, body.flowId, 'PAUSED');
      const other = paused.failedStep === 'b' ? 'c' : 'b';
      await t.http.post(`/api/orchestration/runs/${body.flowId}/skip`).send({ stepName: paused.failedStep }).expect(202);
      // The skip and the pause on the other failed step are one write: the row must carry the second failure.
      const again = (await t.http.get(`/api/orchestration/runs/${body.flowId}`).expect(200)).body as RunDetailDto;
      expect(again).toMatchObject({ status: 'PAUSED', failedStep: other, error: expect.stringContaining(`${other} failed on purpose`) });
    });

    it('serves the template as a graph', async () => {
      const { body } = await t.http.get('/api/orchestration/templates/diamond').expect(200);
      expect(body.type).toBe('dag');
      expect(body.versions[0].graph).toEqual({
        nodes: [{ name: 'a', seq: 1, handler: 'worker' }, { name: 'b', seq: 2, handler: 'worker' },
          { name: 'c', seq: 2, handler: 'worker' }, { name: 'd', seq: 3, handler: 'worker' }],
        edges: [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }],
      });
      // Authentication off: WORKER_ACCESS is open, and steps naming no workers are any service's to work.
      expect(body.versions[0].steps.map((s: { mayWork: string[] | null }) => s.mayWork)).toEqual([null, null, null, null]);
    });

    it('rejects a cycle, naming it', async () => {
      const cyclic = { ...DIAMOND, orchName: 'cyclic', steps: [...DIAMOND.steps.slice(1), { name: 'a', objectType: 'String', dependsOn: ['d'] }] };
      const { body } = await register(cyclic).expect(400);
      expect(body.problems).toContainEqual(expect.objectContaining({ path: 'steps', message: expect.stringContaining('a → d → b → a') }));
    });
  });
}
