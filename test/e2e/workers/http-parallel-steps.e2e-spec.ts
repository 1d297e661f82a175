import { setTimeout as sleep } from 'node:timers/promises';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

interface Lease {
  leaseId: string;
  command: { flowId: string; orchName: string; stepName: string; action: 'DO' | 'UNDO'; attempt: number; commandId: string };
}

/**
 * A run's parallel steps worked by one HTTP service reach its pollers together. Baton used to hand
 * a run's commands out one at a time (the broker's order was kept per run), so each branch waited
 * for the one before it to be answered, and the deadline of a branch still waiting ran out before
 * any worker saw it. The order kept is a step's own: its retries and its undo after its DO.
 */
describe('HTTP workers: a run\'s parallel steps', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({});
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'fanout-initiator')
      .send({ orchName: 'fanoutHttp', as: 'initiator', type: 'parallel',
        steps: ['a', 'b', 'c'].map((name, i) => ({ seq: i + 1, name, objectType: 'String', timeoutSeconds: 300 })) })
      .expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'fanout-worker')
      .send({ orchName: 'fanoutHttp', as: 'worker', steps: ['a', 'b', 'c'].map((name) => ({ name, objectType: 'String' })) }).expect(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Polls until `count` leases came or two seconds passed, answering none of them. */
  async function leasesWithin(count: number): Promise<Lease[]> {
    const leases: Lease[] = [];
    const until = Date.now() + 2000;
    while (leases.length < count && Date.now() < until) {
      const { body } = await t.http.get('/api/workers/fanout-worker/commands').query({ wait: 200, max: 10 }).expect(200);
      leases.push(...body);
      if (body.length === 0) await sleep(20);
    }
    return leases;
  }

  it('leases all three branches at once, before any is answered, and the run completes when they are', async () => {
    const { body: run } = await execute(t, 'fanoutHttp', {}).expect(202);
    const leases = await leasesWithin(3);
    expect(leases.map((l) => l.command.stepName).sort()).toEqual(['a', 'b', 'c']);
    for (const { leaseId, command } of leases) {
      await t.http.post(`/api/workers/fanout-worker/leases/${leaseId}/reply`)
        .send({ flowId: command.flowId, orchName: command.orchName, stepName: command.stepName, action: command.action, attempt: command.attempt,
          commandId: command.commandId, metadata: { status: 'SUCCESS' }, output: { step: command.stepName } }).expect(200);
    }
    const done = await waitForRun(t, run.flowId, 'COMPLETED');
    expect(done.steps.map((s) => `${s.stepName}#${s.attempt}:${s.status}`).sort()).toEqual(['a#1:SUCCEEDED', 'b#1:SUCCEEDED', 'c#1:SUCCEEDED']);
  });
});
