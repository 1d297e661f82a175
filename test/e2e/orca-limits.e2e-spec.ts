import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { ORCA_SERVICE } from '../../src/orca/orca-template';
import { expectEventually } from '../helpers/expect-eventually';
import { useOrcaApp } from './handlers/support/orca-app';

/**
 * ORCA_MAX_TEMPLATES: every RequestCreatedEvent may name a resource of its own, and the adapter
 * registers a template for each before AWX or OO is asked whether it exists.
 */
describe('Orca drop-in: ORCA_MAX_TEMPLATES', () => {
  const { awx, orca, app } = useOrcaApp((awx) => { for (const id of [51, 52, 53]) awx.jobTemplate(id, { statuses: ['successful'] }); }, { ORCA_MAX_TEMPLATES: '2' });

  const publish = async (resourceId: string) => {
    const event = orca.request({ ExecutionResourceId: resourceId });
    await orca.publish(event);
    return event;
  };
  const statusesOf = (requestId: string) => orca.eventsOf(requestId).map((e) => e.Status);
  const deadLettersOf = (requestId: string) => orca.deadLetters.filter((d) => d.body.includes(requestId)).map((d) => d.reason);
  const LIMIT_REACHED = /^TEMPLATE_LIMIT_REACHED: Forbidden: the Orca adapter \(baton-orca\) owns 2 templates, and ORCA_MAX_TEMPLATES allows 2/;

  it('dead-letters a request for a new resource past the cap, launching nothing, and runs those of resources it has templates for', async () => {
    const first = await publish('51');
    const second = await publish('52');
    await expectEventually(() => {
      expect(statusesOf(first.RequestId)).toEqual([1, 2]);
      expect(statusesOf(second.RequestId)).toEqual([1, 2]);
    }, { timeoutMs: 20_000 });

    const third = await publish('53');
    await expectEventually(() => expect(deadLettersOf(third.RequestId)).toEqual([expect.stringMatching(LIMIT_REACHED)]), { timeoutMs: 15_000 });
    expect(awx.launches().filter((j) => j.templateId === 53)).toEqual([]);
    const [{ owned }] = await app().get(DataSource).query('SELECT count(*)::int AS owned FROM orchestration_template WHERE owner_service = $1', [ORCA_SERVICE]);
    expect(owned).toBe(2);

    const again = await publish('51');
    await expectEventually(() => expect(statusesOf(again.RequestId)).toEqual([1, 2]), { timeoutMs: 20_000 });
  });

  it('tells the client of a request refused past the cap that it is over (Status 3), once however often it comes', async () => {
    const refused = await publish('54');
    await expectEventually(() => expect(orca.eventsOf(refused.RequestId)).toEqual([{
      RequestId: refused.RequestId, Status: 3, ResultType: null, AwxOoExecutionStatus: null, ExecutionId: null,
      ErrorMessage: expect.stringMatching(LIMIT_REACHED), UpdatedAtUtc: expect.any(String),
    }]), { timeoutMs: 15_000 });
    expect(deadLettersOf(refused.RequestId)).toEqual([expect.stringMatching(LIMIT_REACHED)]);

    // Delivered again (as after a stop before the dead letter was acknowledged): dead-lettered again, not answered again.
    const ALREADY_ANSWERED = `RequestId ${refused.RequestId} was already answered with Status 3 (refused; its ErrorMessage says why): it is not started now`;
    await orca.publish(refused);
    await expectEventually(() => expect(deadLettersOf(refused.RequestId)).toEqual([expect.stringMatching(LIMIT_REACHED), ALREADY_ANSWERED]), { timeoutMs: 15_000 });
    // The dead letter follows the answer's commit; give a second answer, were there one, time to arrive.
    await new Promise((r) => setTimeout(r, 500));
    expect(statusesOf(refused.RequestId)).toEqual([3]);

    // Its dead letter re-published once the cap was raised: Orca has its final Failed, so no run reports another status.
    const config = app().get(AppConfig);
    config.ORCA_MAX_TEMPLATES = 3;
    try {
      await orca.publish(refused);
      await expectEventually(() => expect(deadLettersOf(refused.RequestId)).toEqual([expect.stringMatching(LIMIT_REACHED), ALREADY_ANSWERED, ALREADY_ANSWERED]),
        { timeoutMs: 15_000 });
      await new Promise((r) => setTimeout(r, 500));
      expect(statusesOf(refused.RequestId)).toEqual([3]);
      const [{ runs }] = await app().get(DataSource).query('SELECT count(*)::int AS runs FROM orchestration_run WHERE flow_id = $1', [refused.RequestId]);
      expect(runs).toBe(0);
      const [{ owned }] = await app().get(DataSource).query('SELECT count(*)::int AS owned FROM orchestration_template WHERE owner_service = $1', [ORCA_SERVICE]);
      expect(owned).toBe(2);
    } finally {
      config.ORCA_MAX_TEMPLATES = 2;
    }
  });
});
