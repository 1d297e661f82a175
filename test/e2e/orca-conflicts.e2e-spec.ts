import { Metrics } from '../../src/metrics/metrics';
import { expectEventually } from '../helpers/expect-eventually';
import { useOrcaApp } from './handlers/support/orca-app';

/**
 * The launch of an Orca request moves its run's version on (the job's facts go on the attempt in
 * flight), past the copy the instance that sent the step keeps in memory. On one instance that
 * must not cost a write conflict per request: the job's end would be decided on the stale copy,
 * refused, and decided again.
 */
describe('Orca drop-in: run write conflicts on one instance', () => {
  const { awx, orca, app } = useOrcaApp((awx) => awx.jobTemplate(61, { statuses: ['running', 'running', 'successful'] }));

  const conflicts = async () => (await app().get(Metrics).writeConflicts.get()).values.reduce((n, v) => n + v.value, 0);

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
