import { randomBytes } from 'node:crypto';
import { signatureOf } from '../../src/auth/message-signing/message-signature';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { Metrics } from '../../src/metrics/metrics';
import { authOn, bearer, newAdminKey } from '../helpers/auth';
import { initiatorYaml, workerJson } from '../helpers/documents';
import { expectEventually } from '../helpers/expect-eventually';
import { AUDIENCE, ISSUER, rsaKey } from '../helpers/jwt';
import { messageJwt } from '../helpers/message-jwt';
import { startTestApp, TestApp } from '../helpers/test-app';

interface DeadLetter { topic: string; reason: string; body: string }
interface AuditRow { event: string; principalId: string | null; service: string | null; code: string; reason: string; target: string }

/**
 * MESSAGE_SIGNING=required on the registration and execution-start topics: a message signed with
 * the service's HMAC secret or carrying a valid JWT is applied under the proven service; an
 * unsigned or badly signed one is dead-lettered with its reason and written to the security audit.
 * Shared by the embedded e2e suite and the RabbitMQ and Kafka suites.
 */
export function messageSigningScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`message signing (${setting})`, () => {
    const admin = newAdminKey();
    const secret = randomBytes(32).toString('hex');
    const otherSecret = randomBytes(32).toString('hex');
    const idp = rsaKey();
    const dead: DeadLetter[] = [];
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp(authOn(admin, {
        ...await env(), MESSAGE_SIGNING: 'required', SIGNING_SECRETS: `tenant-service:${secret},billing-service:${otherSecret}`,
        AUTH_JWT_PUBLIC_KEY: idp.publicPem, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE,
      }));
      for (const topic of [t.config.TOPIC_REGISTRATION, t.config.TOPIC_EXECUTION_START]) {
        await t.get(MessageConsumer).subscribe({ topic: `${topic}.DLQ`, group: `${t.config.CONSUMER_GROUP}-observer`, handler: async (m) => {
          dead.push({ topic, reason: m.headers['x-dead-letter-reason'], body: m.body.toString() });
        } });
      }
    }, 120_000);
    afterAll(() => t?.close());

    const publish = (topic: string, body: string, headers: Record<string, string> = {}) =>
      t.get(MessagePublisher).publish([{ topic, body: Buffer.from(body), headers }]);
    const hmac = (body: string, service = 'tenant-service', key = secret, signedAt = Math.floor(Date.now() / 1000)) => ({
      'x-baton-service': service, 'x-baton-signature-timestamp': String(signedAt), 'x-baton-signature': signatureOf(key, signedAt, Buffer.from(body)),
    });
    const register = (body: string, headers: Record<string, string>) =>
      publish(t.config.TOPIC_REGISTRATION, body, { 'content-type': 'application/yaml', ...headers });
    const template = (orchName: string) => t.http.get(`/api/orchestration/templates/${orchName}`).set(bearer(admin));
    const securityAudit = async (event: string) =>
      (await t.http.get('/api/admin/security-audit').query({ event, pageSize: 200 }).set(bearer(admin)).expect(200)).body.items as AuditRow[];
    const deadFor = (marker: string) => dead.filter((d) => d.body.includes(marker));

    it('applies a registration signed with the service secret, owned by the signing service', async () => {
      const doc = initiatorYaml('signedFlow', 'sequential', ['one'], ['realm-service']);
      await register(doc, hmac(doc));
      await expectEventually(async () => expect((await template('signedFlow').expect(200)).body.ownerService).toBe('tenant-service'));
    });

    it('dead-letters and audits an unsigned registration, and a signed one whose body was changed', async () => {
      const unsigned = initiatorYaml('unsignedFlow', 'sequential', ['one']);
      const tampered = initiatorYaml('tamperedFlow', 'sequential', ['one']);
      await register(unsigned, { 'x-service-name': 'tenant-service' });
      await register(tampered, hmac(tampered.replace('tamperedFlow', 'otherFlow')));
      await expectEventually(async () => {
        expect(deadFor('unsignedFlow')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_UNSIGNED: /) })]);
        expect(deadFor('tamperedFlow')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_SIGNATURE_INVALID: .*does not match/) })]);
      });
      const rows = await securityAudit('MESSAGE_REJECTED');
      expect(rows).toEqual(expect.arrayContaining([
        expect.objectContaining({ code: 'MESSAGE_UNSIGNED', target: `topic ${t.config.TOPIC_REGISTRATION}` }),
        expect.objectContaining({ code: 'MESSAGE_SIGNATURE_INVALID', principalId: 'hmac:tenant-service' }),
      ]));
      await template('unsignedFlow').expect(404);
      await template('tamperedFlow').expect(404);
      expect(JSON.stringify(rows)).not.toContain(secret);
    });

    it('refuses a signed registration that claims another service, as over HTTP', async () => {
      const doc = `service: realm-service\n${initiatorYaml('claimedFlow', 'sequential', ['one'])}`;
      await register(doc, hmac(doc));
      await expectEventually(() => expect(deadFor('claimedFlow')).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(/^SERVICE_NAME_MISMATCH: .*hmac:tenant-service proves service tenant-service, not realm-service/) }),
      ]));
      expect(await securityAudit('DENIED')).toContainEqual(expect.objectContaining({
        principalId: 'hmac:tenant-service', code: 'SERVICE_NAME_MISMATCH', target: `topic ${t.config.TOPIC_REGISTRATION}`,
      }));
      await template('claimedFlow').expect(404);
    });

    /** Whoever reads the topic can publish a copy within the signature's window; the message id is not signed. */
    it('drops a copy of a signed registration: neither a version it replaced nor a worker removed since comes back', async () => {
      const consumed = async () => (await t.get(Metrics).consumed.get()).values
        .find((v) => v.labels.topic === t.config.TOPIC_REGISTRATION)?.value ?? 0;
      const workers = async () => (await t.http.get('/api/orchestration/workers').query({ orchName: 'replayedFlow' })
        .set(bearer(admin)).expect(200)).body.items as Array<{ id: string }>;
      const v1 = initiatorYaml('replayedFlow', 'sequential', ['one', 'two']);
      const v2 = initiatorYaml('replayedFlow', 'sequential', ['one']);
      const signedV1 = hmac(v1);
      await register(v1, signedV1);
      await expectEventually(async () => expect((await template('replayedFlow').expect(200)).body.version).toBe(1));
      await register(v2, hmac(v2));
      await expectEventually(async () => expect((await template('replayedFlow').expect(200)).body.version).toBe(2));
      const worker = JSON.stringify(workerJson('replayedFlow', ['one']));
      const signedWorker = { ...hmac(worker), 'content-type': 'application/json' };
      await register(worker, signedWorker);
      await expectEventually(async () => expect(await workers()).toHaveLength(1));
      await t.http.delete(`/api/orchestration/workers/${(await workers())[0].id}`).set(bearer(admin)).expect(200);

      const before = await consumed();
      await register(v1, { ...signedV1, 'x-message-id': 'copy-of-v1' });
      await register(worker, { ...signedWorker, 'x-message-id': 'copy-of-worker' });
      await expectEventually(async () => expect(await consumed()).toBe(before + 2));
      const detail = (await template('replayedFlow').expect(200)).body;
      expect([detail.version, detail.versions[0].steps.map((step: { name: string }) => step.name)]).toEqual([2, ['one']]);
      expect(await workers()).toEqual([]);
    });

    it('applies a registration carrying a JWT, bound to the service in the token', async () => {
      const body = JSON.stringify(workerJson('signedFlow', ['one']));
      const token = messageJwt(idp, body, { azp: 'realm-service', roles: ['service'] });
      await publish(t.config.TOPIC_REGISTRATION, body, { 'content-type': 'application/json', authorization: `Bearer ${token}` });
      await expectEventually(async () => expect((await template('signedFlow').expect(200)).body).toMatchObject({
        status: 'READY', workers: [expect.objectContaining({ serviceName: 'realm-service', stepName: 'one' })],
      }));
    });

    it('dead-letters a JWT copied onto another body, and one not bound to its body', async () => {
      // Anyone who reads a JWT-signed message (the topic, its DLQ) holds its header until the token expires.
      const seen = initiatorYaml('seenFlow', 'sequential', ['one']);
      const copied = initiatorYaml('copiedFlow', 'sequential', ['one']);
      const unbound = initiatorYaml('unboundFlow', 'sequential', ['one']);
      const claims = { azp: 'realm-service', roles: ['service'] };
      await register(copied, { authorization: `Bearer ${messageJwt(idp, seen, claims)}` });
      await register(unbound, { authorization: `Bearer ${messageJwt(idp, unbound, { ...claims, body_sha256: undefined })}` });
      await expectEventually(() => {
        expect(deadFor('copiedFlow')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_SIGNATURE_INVALID: the token's body_sha256 claim does not match/) })]);
        expect(deadFor('unboundFlow')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_SIGNATURE_INVALID: the token has no body_sha256 claim/) })]);
      });
      await template('copiedFlow').expect(404);
      await template('unboundFlow').expect(404);
    });

    it('starts a run from a signed start message, and dead-letters unsigned, expired-token and badly signed ones', async () => {
      const start = (marker: string) => JSON.stringify({ orchName: 'signedFlow', payload: { marker }, idempotencyKey: marker });
      const expired = messageJwt(idp, start('expired-start'), { azp: 'tenant-service', roles: ['service'], exp: Math.floor(Date.now() / 1000) - 120 });
      await publish(t.config.TOPIC_EXECUTION_START, start('signed-start'), hmac(start('signed-start')));
      await publish(t.config.TOPIC_EXECUTION_START, start('unsigned-start'));
      await publish(t.config.TOPIC_EXECUTION_START, start('expired-start'), { authorization: `Bearer ${expired}` });
      await publish(t.config.TOPIC_EXECUTION_START, start('wrong-key-start'), hmac(start('wrong-key-start'), 'tenant-service', 'f'.repeat(64)));
      await expectEventually(async () => {
        expect(deadFor('unsigned-start')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_UNSIGNED/) })]);
        expect(deadFor('expired-start')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_EXPIRED: "exp" claim/) })]);
        expect(deadFor('wrong-key-start')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_SIGNATURE_INVALID/) })]);
        const runs = await t.http.get('/api/orchestration/runs').query({ orchName: 'signedFlow', pageSize: 50 }).set(bearer(admin)).expect(200);
        expect(runs.body.total).toBe(1);
      });
      const rows = (await securityAudit('MESSAGE_REJECTED')).filter((r) => r.target === `topic ${t.config.TOPIC_EXECUTION_START}`);
      expect(rows.map((r) => r.code).sort()).toEqual(['MESSAGE_EXPIRED', 'MESSAGE_SIGNATURE_INVALID', 'MESSAGE_UNSIGNED']);
      expect(JSON.stringify(rows)).not.toContain(expired);
    });

    it('starts one run for a signed start message without idempotencyKey, however often a copy of it is published', async () => {
      const count = async () => (await t.http.get('/api/orchestration/runs').query({ orchName: 'signedFlow', pageSize: 1 })
        .set(bearer(admin)).expect(200)).body.total as number;
      const before = await count();
      const body = JSON.stringify({ orchName: 'signedFlow', payload: { marker: 'copied-start' } });
      const signed = hmac(body);
      for (const id of ['copy-1', 'copy-2', 'copy-3']) await publish(t.config.TOPIC_EXECUTION_START, body, { ...signed, 'x-message-id': id });
      // The same body signed anew is another message: its own run.
      const anew = hmac(body, 'tenant-service', secret, Math.floor(Date.now() / 1000) - 1);
      await publish(t.config.TOPIC_EXECUTION_START, body, { ...anew, 'x-message-id': 'anew' });
      await expectEventually(async () => expect(await count()).toBe(before + 2));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await count()).toBe(before + 2);
    });

    it('dead-letters a start message signed by a service that does not own the template, as if the template did not exist', async () => {
      const total = async () => (await t.http.get('/api/orchestration/runs').query({ orchName: 'signedFlow' }).set(bearer(admin)).expect(200)).body.total;
      const before = await total();
      const start = JSON.stringify({ orchName: 'signedFlow', payload: { marker: 'foreign-start' }, idempotencyKey: 'foreign-start' });
      await publish(t.config.TOPIC_EXECUTION_START, start, hmac(start, 'billing-service', otherSecret));
      await expectEventually(async () => expect(deadFor('foreign-start'))
        .toEqual([expect.objectContaining({ reason: 'TEMPLATE_NOT_FOUND: No template named signedFlow' })]));
      expect(await total()).toBe(before);
    });

    it('dead-letters and audits a replayed start message: signed, but longer ago than the window, by HMAC or JWT', async () => {
      const runs = async () => (await t.http.get('/api/orchestration/runs').query({ orchName: 'signedFlow', pageSize: 1 })
        .set(bearer(admin)).expect(200)).body.total as number;
      const before = await runs();
      const start = (marker: string) => JSON.stringify({ orchName: 'signedFlow', payload: { marker } });
      // MESSAGE_SIGNATURE_MAX_AGE_SECONDS is 300 by default, with 30 s for clock skew
      const longAgo = Math.floor(Date.now() / 1000) - 335;
      const oldToken = messageJwt(idp, start('replayed-jwt'), { azp: 'tenant-service', roles: ['service'], iat: longAgo, exp: longAgo + 3600 });
      await publish(t.config.TOPIC_EXECUTION_START, start('replayed-hmac'), hmac(start('replayed-hmac'), 'tenant-service', secret, longAgo));
      await publish(t.config.TOPIC_EXECUTION_START, start('replayed-jwt'), { authorization: `Bearer ${oldToken}` });
      await publish(t.config.TOPIC_EXECUTION_START, start('no-iat-jwt'),
        { authorization: `Bearer ${messageJwt(idp, start('no-iat-jwt'), { azp: 'tenant-service', roles: ['service'], iat: undefined })}` });
      await expectEventually(() => {
        expect(deadFor('replayed-hmac')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_EXPIRED: signed 33\d s ago/) })]);
        expect(deadFor('replayed-jwt')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_EXPIRED: "iat" claim/) })]);
        expect(deadFor('no-iat-jwt')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^MESSAGE_SIGNATURE_INVALID: .*"iat"/) })]);
      });
      const rows = (await securityAudit('MESSAGE_REJECTED')).filter((r) => r.code === 'MESSAGE_EXPIRED');
      expect(rows).toEqual(expect.arrayContaining([
        expect.objectContaining({ principalId: 'hmac:tenant-service', reason: expect.stringMatching(/^signed 33\d s ago/) }),
        expect.objectContaining({ reason: expect.stringMatching(/"iat" claim/) }),
      ]));
      expect(await runs()).toBe(before);
    });
  });
}
