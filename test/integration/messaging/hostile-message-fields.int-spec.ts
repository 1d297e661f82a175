import { randomUUID } from 'node:crypto';
import amqp, { type Options } from 'amqplib';
import { signatureOf } from '../../../src/auth/message-signing/message-signature';
import { MessageConsumer } from '../../../src/messaging/message-consumer';
import { MessagePublisher } from '../../../src/messaging/message-publisher';
import { bearer, authOn, newAdminKey } from '../../helpers/auth';
import { initiatorYaml, workerJson } from '../../helpers/documents';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

interface DeadLetter { reason: string; attempts: string; body: string }

/**
 * Fields a publisher controls that reach SQL: each failed its query (22001 value too long, 22003
 * out of range, 22021 NUL) on every redelivery, and the message was dead-lettered after five tries
 * with the SQL error as its reason, or never handled at all. On real PostgreSQL and RabbitMQ.
 */
async function appWithDeadLetters(env: Record<string, string>, topics: (t: TestApp) => string[]) {
  const t = await startTestApp(env);
  const dead: DeadLetter[] = [];
  for (const topic of topics(t)) {
    await t.get(MessageConsumer).subscribe({ topic: `${topic}.DLQ`, group: `${t.config.CONSUMER_GROUP}-observer`, handler: async (m) => {
      dead.push({ reason: m.headers['x-dead-letter-reason'], attempts: m.headers['x-delivery-attempts'], body: m.body.toString() });
    } });
  }
  const publish = (topic: string, body: string, headers: Record<string, string> = {}) =>
    t.get(MessagePublisher).publish([{ topic, body: Buffer.from(body), headers }]);
  const deadFor = (marker: string) => dead.filter((d) => d.body.includes(marker));
  return { t, publish, deadFor };
}

describe('hostile fields in replies and start messages (PostgreSQL 15, RabbitMQ)', () => {
  const suite = serverSuite('rabbitmq');
  let app: Awaited<ReturnType<typeof appWithDeadLetters>>;
  let t: TestApp;

  beforeAll(async () => {
    app = await appWithDeadLetters(await suite.env(), (a) => [a.config.TOPIC_REPLY, a.config.TOPIC_EXECUTION_START]);
    t = app.t;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'edge-initiator')
      .set('Content-Type', 'application/yaml').send(initiatorYaml('edgeFlow', 'sequential', ['one'])).expect(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
  });

  const reply = (marker: string, fields: object) => JSON.stringify({
    flowId: randomUUID(), orchName: 'edgeFlow', stepName: 'one', action: 'DO', metadata: { status: 'HEARTBEAT', error: marker }, ...fields,
  });

  it('dead-letters at once, naming the field, a reply with an attempt past int4 or a name holding NUL', async () => {
    await app.publish(t.config.TOPIC_REPLY, reply('huge-attempt', { attempt: 3_000_000_000 }));
    await app.publish(t.config.TOPIC_REPLY, reply('nul-step', { stepName: 'o\u0000ne' }));
    await expectEventually(() => {
      expect(app.deadFor('huge-attempt')).toEqual([{ attempts: '1', reason: expect.stringMatching(/^invalid message: attempt: .*2147483647/), body: expect.any(String) }]);
      expect(app.deadFor('nul-step')).toEqual([{ attempts: '1', reason: expect.stringMatching(/^invalid message: stepName: contains a NUL/), body: expect.any(String) }]);
    }, { timeoutMs: 20_000 });
  });

  it('answers an HTTP heartbeat with an attempt past int4 with a 400 naming attempt, not a 500', async () => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'edge-worker').send(workerJson('edgeFlow', ['one'])).expect(201);
    await t.http.get('/api/workers/edge-worker/commands').query({ wait: 0 }).expect(200); // subscribes the service's pool
    const { flowId } = (await execute(t, 'edgeFlow').expect(202)).body;
    let lease: { leaseId: string; command: { commandId: string; attempt: number } } | undefined;
    await expectEventually(async () => {
      [lease] = (await t.http.get('/api/workers/edge-worker/commands').query({ wait: 1000 }).expect(200)).body;
      expect(lease).toBeDefined();
    }, { timeoutMs: 20_000 });
    const heartbeat = { flowId, orchName: 'edgeFlow', stepName: 'one', action: 'DO', metadata: { status: 'HEARTBEAT' }, commandId: lease!.command.commandId };
    const refused = await t.http.post(`/api/workers/edge-worker/leases/${lease!.leaseId}/reply`).send({ ...heartbeat, attempt: 3_000_000_000 });
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual([{ path: 'body.attempt', message: expect.stringMatching(/2147483647/) }]);
    // The lease still stands: the worker's genuine heartbeat and reply go through.
    await t.http.post(`/api/workers/edge-worker/leases/${lease!.leaseId}/reply`).send({ ...heartbeat, attempt: lease!.command.attempt })
      .expect(200, { outcome: 'heartbeat' });
    await t.http.post(`/api/workers/edge-worker/leases/${lease!.leaseId}/reply`)
      .send({ ...heartbeat, attempt: lease!.command.attempt, metadata: { status: 'SUCCESS' } }).expect(200, { outcome: 'applied' });
    await waitForRun(t, flowId, 'COMPLETED');
  });

  it('dead-letters at once a start message whose orchName holds NUL or is longer than its column', async () => {
    await app.publish(t.config.TOPIC_EXECUTION_START, JSON.stringify({ orchName: 'edge\u0000Flow', payload: { marker: 'nul-orch' } }));
    await app.publish(t.config.TOPIC_EXECUTION_START, JSON.stringify({ orchName: 'e'.repeat(201), payload: { marker: 'long-orch' } }));
    await expectEventually(() => {
      expect(app.deadFor('nul-orch')).toEqual([expect.objectContaining({ attempts: '1', reason: expect.stringMatching(/^invalid message: orchName: contains a NUL/) })]);
      expect(app.deadFor('long-orch')).toEqual([expect.objectContaining({ attempts: '1', reason: expect.stringMatching(/^invalid message: orchName: .*200/) })]);
    }, { timeoutMs: 20_000 });
  });

  /** Published by a client of its own, as a foreign service would: Baton's publisher sets its own ids. */
  async function publishRaw(topic: string, body: string, options: Options.Publish): Promise<void> {
    const connection = await amqp.connect(process.env.RABBITMQ_URL!);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(t.config.RABBITMQ_EXCHANGE, topic, Buffer.from(body), options);
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  }

  it('starts one run for a start message whose message id the key column cannot hold, redelivered or not', async () => {
    const runsOf = async (marker: string) => {
      const runs = await t.http.get('/api/orchestration/runs').query({ orchName: 'edgeFlow', pageSize: 200 }).expect(200);
      const ids = runs.body.items.map((r: { flowId: string }) => r.flowId) as string[];
      const details = await Promise.all(ids.map(async (id) => (await t.http.get(`/api/orchestration/runs/${id}`).expect(200)).body));
      return details.filter((d) => JSON.stringify(d.payload).includes(marker));
    };
    const ids: [string, Options.Publish][] = [
      ['long-header-id', { headers: { 'x-message-id': 'h'.repeat(300) } }],
      ['long-amqp-id', { messageId: 'a'.repeat(250) }],
      ['nul-id', { headers: { 'x-message-id': 'a\u0000b' } }],
    ];
    for (const [marker, options] of ids) {
      const body = JSON.stringify({ orchName: 'edgeFlow', payload: { marker } });
      // The same message twice, as a redelivery after a crash between commit and ack brings it.
      await publishRaw(t.config.TOPIC_EXECUTION_START, body, options);
      await publishRaw(t.config.TOPIC_EXECUTION_START, body, options);
    }
    await expectEventually(async () => {
      for (const [marker] of ids) expect(await runsOf(marker)).toHaveLength(1);
    }, { timeoutMs: 20_000 });
    for (const [marker] of ids) expect(app.deadFor(marker)).toEqual([]);
  });

  it('dead-letters a refused start message whose x-message-id is too long for an AMQP message-id', async () => {
    await publishRaw(t.config.TOPIC_EXECUTION_START, JSON.stringify({ orchName: 'noSuchFlow', payload: { marker: 'long-id-refused' } }),
      { headers: { 'x-message-id': 'r'.repeat(300) } });
    await expectEventually(() => expect(app.deadFor('long-id-refused')).toEqual([
      expect.objectContaining({ attempts: '1', reason: expect.stringMatching(/^TEMPLATE_NOT_FOUND: /) }),
    ]), { timeoutMs: 20_000 });
  });
});

describe('the audit of a refused signed message (PostgreSQL 15, RabbitMQ)', () => {
  const suite = serverSuite('rabbitmq');
  const admin = newAdminKey();
  const secret = 'edge-secret-'.repeat(4);
  let app: Awaited<ReturnType<typeof appWithDeadLetters>>;

  beforeAll(async () => {
    app = await appWithDeadLetters(authOn(admin, { ...await suite.env(), MESSAGE_SIGNING: 'required', SIGNING_SECRETS: `tenant-service:${secret}` }),
      (a) => [a.config.TOPIC_REGISTRATION]);
  }, 120_000);
  afterAll(async () => {
    await app?.t.close();
    await suite.cleanup();
  });

  it('writes the row and dead-letters at once with the refusal, when the claimed service holds NUL', async () => {
    const { t } = app;
    const doc = initiatorYaml('nulServiceFlow', 'sequential', ['one']);
    const signedAt = String(Math.floor(Date.now() / 1000));
    await app.publish(t.config.TOPIC_REGISTRATION, doc, {
      'content-type': 'application/yaml', 'x-baton-service': 'a\u0000b', 'x-baton-signature-timestamp': signedAt,
      'x-baton-signature': signatureOf(secret, signedAt, Buffer.from(doc)),
    });
    await expectEventually(() => expect(app.deadFor('nulServiceFlow')).toEqual([
      // The reason header is made to fit as the audit row is: the NUL replaced.
      expect.objectContaining({ attempts: '1', reason: 'MESSAGE_SIGNATURE_INVALID: no signing secret for service a\uFFFDb' }),
    ]), { timeoutMs: 20_000 });
    const rows = (await t.http.get('/api/admin/security-audit').query({ event: 'MESSAGE_REJECTED' }).set(bearer(admin)).expect(200)).body.items;
    expect(rows).toEqual([expect.objectContaining({
      code: 'MESSAGE_SIGNATURE_INVALID', principalId: 'hmac:a\uFFFDb', reason: 'no signing secret for service a\uFFFDb',
      target: `topic ${t.config.TOPIC_REGISTRATION}`,
    })]);
  });
});
