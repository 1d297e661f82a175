import { Metrics } from '../../src/metrics/metrics';
import { FakeAwxServer } from '../fakes/fake-awx.server';
import { FakeOoServer } from '../fakes/fake-oo.server';
import { expectEventually } from '../helpers/expect-eventually';
import type { TestApp } from '../helpers/test-app';
import { orcaClient } from '../scenarios/orca.fixtures';
import { handlerEnv } from './handlers/support/engine-app';

/**
 * The launch of an Orca request moves its run's version on (the job's facts go on the attempt in
 * flight), past the copy the instance that sent the step keeps in memory. On one instance that
 * must not cost a write conflict per request: the job's end would be decided on the stale copy,
 * refused, and decided again.
 */
describe('Orca drop-in: run write conflicts on one instance', () => {
  let t: TestApp;
  const awx = new FakeAwxServer();
  const oo = new FakeOoServer();
  const orca = orcaClient();

  beforeAll(async () => {
    await Promise.all([awx.start(), oo.start()]);
    awx.jobTemplate(61, { statuses: ['running', 'running', 'successful'] });
    t = await orca.start({ ...handlerEnv(awx, oo), AWX_TRACE_EXTRA_VARS: 'false' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([awx.stop(), oo.stop()]);
  });

  const conflicts = async () => (await t.get(Metrics).writeConflicts.get()).values.reduce((n, v) => n + v.value, 0);

  it('records none for requests run to their end, each still reporting its job', async () => {
    const before = await conflicts();
    const events = Array.from({ length: 5 }, () => orca.request({ ExecutionResourceId: '61' }));
    for (const event of events) await orca.publish(event);
    const finals = await expectEventually(() => events.map((event) => {
      expect(orca.eventsOf(event.RequestId).map((e) => e.Status)).toEqual([1, 2]);
      return orca.eventsOf(event.RequestId)[1];
    }), { timeoutMs: 30_000 });
    const jobIds = awx.launches().filter((j) => j.templateId === 61).map((j) => String(j.id));
    expect(finals.map((f) => f.ExecutionId).sort()).toEqual(jobIds.sort());
    expect((await conflicts()) - before).toBe(0);
  });
});
