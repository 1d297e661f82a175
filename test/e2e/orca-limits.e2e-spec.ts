import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ORCA_SERVICE } from '../../src/orca/orca-template';
import { FakeAwxServer } from '../fakes/fake-awx.server';
import { FakeOoServer } from '../fakes/fake-oo.server';
import { expectEventually } from '../helpers/expect-eventually';
import type { TestApp } from '../helpers/test-app';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { fixture, orcaClient } from '../scenarios/orca.scenarios';
import { handlerEnv } from './handlers/support/engine-app';

/**
 * ORCA_MAX_TEMPLATES: every RequestCreatedEvent may name a resource of its own, and the adapter
 * registers a template for each before AWX or OO is asked whether it exists.
 */
describe('Orca drop-in: ORCA_MAX_TEMPLATES', () => {
  let t: TestApp;
  const awx = new FakeAwxServer();
  const oo = new FakeOoServer();
  const orca = orcaClient();

  beforeAll(async () => {
    await Promise.all([awx.start(), oo.start()]);
    for (const id of [51, 52, 53]) awx.jobTemplate(id, { statuses: ['successful'] });
    t = await orca.start({ ...handlerEnv(awx, oo), AWX_TRACE_EXTRA_VARS: 'false', ORCA_MAX_TEMPLATES: '2' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([awx.stop(), oo.stop()]);
  });

  const publish = (resourceId: string) => {
    const event = { ...fixture('request-created.json'), RequestId: randomUUID(), ExecutionResourceId: resourceId };
    return t.get(MessagePublisher).publish([{
      topic: orca.topics.request, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(event)),
    }]).then(() => event.RequestId as string);
  };
  const statusesOf = (requestId: string) => orca.statusEvents.filter((e) => e.RequestId === requestId).map((e) => e.Status);

  it('dead-letters a request for a new resource past the cap, launching nothing, and runs those of resources it has templates for', async () => {
    const first = await publish('51');
    const second = await publish('52');
    await expectEventually(() => {
      expect(statusesOf(first)).toEqual([1, 2]);
      expect(statusesOf(second)).toEqual([1, 2]);
    }, { timeoutMs: 20_000 });

    const third = await publish('53');
    await expectEventually(() => expect(orca.deadLetters.filter((d) => d.body.includes(third)).map((d) => d.reason)).toEqual([
      expect.stringMatching(/^TEMPLATE_LIMIT_REACHED: Forbidden: the Orca adapter \(baton-orca\) owns 2 templates, and ORCA_MAX_TEMPLATES allows 2/),
    ]), { timeoutMs: 15_000 });
    expect(awx.launches().filter((j) => j.templateId === 53)).toEqual([]);
    const [{ owned }] = await t.get(DataSource).query('SELECT count(*)::int AS owned FROM orchestration_template WHERE owner_service = $1', [ORCA_SERVICE]);
    expect(owned).toBe(2);

    const again = await publish('51');
    await expectEventually(() => expect(statusesOf(again)).toEqual([1, 2]), { timeoutMs: 20_000 });
  });
});
