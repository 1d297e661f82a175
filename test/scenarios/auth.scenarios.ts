import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { authOn, bearer, issueKey, newAdminKey } from '../helpers/auth';
import { initiatorYaml, workerJson } from '../helpers/documents';
import { startTestApp, TestApp } from '../helpers/test-app';

const REGISTER = '/api/orchestration/register';

/**
 * The attacks of issue 11, now with AUTH_MODE=on: spoofed service names, a hijacked step and an
 * injected topic are refused with a clear error and audited. Shared by the embedded e2e suite and
 * the PostgreSQL suite.
 */
export function authScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`identity and access (${setting})`, () => {
    const admin = newAdminKey();
    let t: TestApp;
    const key: Record<string, string> = {};

    beforeAll(async () => {
      t = await startTestApp(authOn(admin, await env()));
      for (const service of ['tenant-service', 'realm-service', 'attacker']) key[service] = await issueKey(t, admin, 'service', service);
      key.viewer = await issueKey(t, admin, 'viewer');
    });
    afterAll(() => t.close());

    const register = (as: string, body: object | string, headers: Record<string, string> = {}) => {
      const req = t.http.post(REGISTER).set(bearer(key[as])).set(headers);
      return typeof body === 'string' ? req.set('Content-Type', 'application/yaml').send(body) : req.send(body);
    };
    const securityAudit = async (event = 'DENIED') =>
      (await t.http.get('/api/admin/security-audit').query({ event, pageSize: 200 }).set(bearer(admin)).expect(200)).body.items as
        Array<{ principalId: string; service: string; code: string; reason: string; target: string }>;

    it('binds a registration to the proven service name when none is claimed', async () => {
      const res = await register('tenant-service', initiatorYaml('tenantCreation', 'sequential', undefined, ['realm-service'])).expect(201);
      expect(res.body).toMatchObject({ serviceName: 'tenant-service', status: 'PENDING' });
    });

    it("records a service key's invalid document under the key's service", async () => {
      await register('tenant-service', 'orchName: broken\nas: initiator\nsteps: nope\n').expect(400);
      const audit = await t.http.get('/api/orchestration/registrations/audit').query({ outcome: 'REJECTED' }).set(bearer(admin)).expect(200);
      expect(audit.body.items[0]).toMatchObject({ serviceName: 'tenant-service', reason: expect.stringContaining('INVALID_DOCUMENT') });
    });

    it('refuses a service key claiming another service in X-Service-Name: 403, audited', async () => {
      const res = await register('attacker', initiatorYaml('tenantCreation', 'parallel'), { 'X-Service-Name': 'tenant-service' }).expect(403);
      expect(res.body.code).toBe('SERVICE_NAME_MISMATCH');
      const rows = await securityAudit();
      expect(rows).toContainEqual(expect.objectContaining({ service: 'attacker', code: 'SERVICE_NAME_MISMATCH', target: 'POST /api/orchestration/register' }));
      const audit = await t.http.get('/api/orchestration/registrations/audit').query({ outcome: 'REJECTED' }).set(bearer(admin)).expect(200);
      expect(audit.body.items[0]).toMatchObject({ serviceName: 'tenant-service', reason: expect.stringContaining('SERVICE_NAME_MISMATCH') });
    });

    it('refuses a service key claiming another service in the document: 403, audited', async () => {
      const doc = `service: tenant-service\n${initiatorYaml('tenantCreation', 'parallel')}`;
      const res = await register('attacker', doc).expect(403);
      expect(res.body.code).toBe('SERVICE_NAME_MISMATCH');
      expect((await securityAudit()).filter((r) => r.code === 'SERVICE_NAME_MISMATCH')).toHaveLength(2);
    });

    it("cannot rewrite another service's template under its own name either", async () => {
      const res = await register('attacker', initiatorYaml('tenantCreation', 'parallel')).expect(403);
      expect(res.body).toMatchObject({ code: 'TEMPLATE_OWNED_BY_OTHER_SERVICE', message: 'Template tenantCreation belongs to another service; attacker cannot change it' });
      expect(JSON.stringify(res.body)).not.toContain('tenant-service');
    });

    it('step hijack: a worker registered first is dropped when the template pins its workers, and cannot come back', async () => {
      await register('attacker', workerJson('payment', ['charge'])).expect(201);
      const pinned = 'orchName: payment\nas: initiator\ntype: sequential\nworkers: [realm-service]\nsteps:\n  - {seq: 1, name: charge, objectType: String}\n';
      const created = await register('tenant-service', pinned).expect(201);
      expect(created.body).toMatchObject({ status: 'PENDING', missingSteps: ['charge'] });
      const again = await register('attacker', workerJson('payment', ['charge'])).expect(403);
      expect(again.body).toMatchObject({ code: 'WORKER_NOT_ALLOWED', problems: [{ path: 'steps[0].name' }] });
      await register('realm-service', workerJson('payment', ['charge'])).expect(201);
      const detail = await t.http.get('/api/orchestration/templates/payment').set(bearer(key.viewer)).expect(200);
      expect(detail.body.status).toBe('READY');
      expect(detail.body.workers.map((w: { serviceName: string }) => w.serviceName)).toEqual(['realm-service']);
      expect(detail.body.versions[0].steps[0]).toMatchObject({ workers: ['realm-service'], mayWork: ['realm-service'] });
    });

    it("step hijack: a step that names no workers is worked only by its template's owner, and another service's earlier registration is dropped", async () => {
      await register('attacker', workerJson('orders', ['reserve'])).expect(201);
      const created = await register('tenant-service', initiatorYaml('orders', 'sequential', ['reserve'])).expect(201);
      expect(created.body).toMatchObject({ status: 'PENDING', missingSteps: ['reserve'] });
      const refused = await register('realm-service', workerJson('orders', ['reserve'])).expect(403);
      expect(refused.body).toMatchObject({ code: 'WORKER_NOT_ALLOWED', problems: [{ path: 'steps[0].name', message: "reserve names no workers, so "
        + "only its template's owner tenant-service may work it (WORKER_ACCESS=pinned): the owner must name realm-service in the template's or the step's `workers:`" }] });
      await register('tenant-service', workerJson('orders', ['reserve'])).expect(201);
      const detail = await t.http.get('/api/orchestration/templates/orders').set(bearer(key.viewer)).expect(200);
      expect(detail.body.status).toBe('READY');
      expect(detail.body.workers.map((w: { serviceName: string }) => w.serviceName)).toEqual(['tenant-service']);
      expect(detail.body.versions[0].steps[0]).toMatchObject({ name: 'reserve', workers: null, mayWork: ['tenant-service'] });
    });

    it("topic injection: Baton's own topics, topics outside the command prefix and another service's are refused with 400", async () => {
      const prefix = t.config.COMMAND_TOPIC_PREFIX;
      for (const topic of [t.config.TOPIC_EXECUTION_START, t.config.TOPIC_REGISTRATION, `${t.config.TOPIC_REPLY}.DLQ`, 'payments', `${prefix}tenant-service`]) {
        const res = await register('realm-service', workerJson('tenantCreation', ['createRealm'], topic)).expect(400);
        expect([topic, res.body.code, res.body.problems[0].path]).toEqual([topic, 'WORKER_TOPIC_NOT_ALLOWED', 'topic']);
      }
      expect(await securityAudit()).toContainEqual(expect.objectContaining({ service: 'realm-service', code: 'WORKER_TOPIC_NOT_ALLOWED' }));
      await register('realm-service', workerJson('tenantCreation', ['createRealm'], `${prefix}realm-service`)).expect(201);
    });

    it('removes a worker registration only for its own service, the template owner or an admin', async () => {
      const workers = await t.http.get('/api/orchestration/workers').query({ orchName: 'tenantCreation' }).set(bearer(admin)).expect(200);
      const realm = workers.body.items.find((w: { serviceName: string }) => w.serviceName === 'realm-service');
      // Not found for an unrelated service, exactly as an id that names nothing: a 403 named the service and template.
      const denied = await t.http.delete(`/api/orchestration/workers/${realm.id}`).set(bearer(key.attacker)).expect(404);
      const missing = await t.http.delete(`/api/orchestration/workers/${randomUUID()}`).set(bearer(key.attacker)).expect(404);
      expect([denied.body.code, denied.body.message.replace(realm.id, 'ID')]).toEqual([missing.body.code, missing.body.message.replace(/[0-9a-f-]{36}/, 'ID')]);
      // The worker's own service finds the id itself, and sees no other service's registrations.
      const own = await t.http.get('/api/orchestration/workers').query({ orchName: 'tenantCreation' }).set(bearer(key['realm-service'])).expect(200);
      expect(own.body.items.map((w: { id: string; serviceName: string }) => [w.id, w.serviceName])).toEqual([[realm.id, 'realm-service']]);
      const others = await t.http.get('/api/orchestration/workers').query({ serviceName: 'realm-service' }).set(bearer(key.attacker)).expect(200);
      expect([others.body.items, others.body.total]).toEqual([[], 0]);
      const ownServices = await t.http.get('/api/orchestration/worker-services').set(bearer(key['realm-service'])).expect(200);
      expect(ownServices.body.items.map((s: { serviceName: string }) => s.serviceName)).toEqual(['realm-service']);
      const otherServices = await t.http.get('/api/orchestration/worker-services').query({ serviceName: 'realm-service' }).set(bearer(key.attacker)).expect(200);
      expect([otherServices.body.items, otherServices.body.total]).toEqual([[], 0]);
      await t.http.delete(`/api/orchestration/workers/${realm.id}`).set(bearer(key['realm-service'])).expect(200);
      await t.http.delete(`/api/orchestration/workers/${realm.id}`).set(bearer(admin)).expect(404);
    });

    it('a service key may execute; only operators undo', async () => {
      const run = await t.http.post('/api/orchestration/execute/tenantCreation').set(bearer(key['tenant-service'])).send({ a: 1 }).expect(202);
      const res = await t.http.post(`/api/orchestration/undo/${run.body.flowId}`).set(bearer(key['tenant-service'])).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it("a service key reads its own templates and their runs, not another service's", async () => {
      const run = await t.http.post('/api/orchestration/execute/tenantCreation').set(bearer(key['tenant-service'])).send({ b: 2 }).expect(202);
      await t.http.get(`/api/orchestration/runs/${run.body.flowId}`).set(bearer(key['tenant-service'])).expect(200);
      await t.http.get('/api/orchestration/templates/tenantCreation').set(bearer(key['tenant-service'])).expect(200);
      const listedRuns = await t.http.get('/api/orchestration/runs').query({ pageSize: 500 }).set(bearer(key['tenant-service'])).expect(200);
      expect(listedRuns.body.items.map((r: { flowId: string }) => r.flowId)).toContain(run.body.flowId);
      expect(new Set(listedRuns.body.items.map((r: { orchName: string }) => r.orchName))).toEqual(new Set(['tenantCreation']));
      // Another service's run and template are not found, exactly as ones that do not exist: a 403 would confirm them.
      const hidden = await t.http.get(`/api/orchestration/runs/${run.body.flowId}`).set(bearer(key.attacker)).expect(404);
      const missing = await t.http.get(`/api/orchestration/runs/${randomUUID()}`).set(bearer(key.attacker)).expect(404);
      expect([hidden.body.code, hidden.body.message.replace(run.body.flowId, 'ID')])
        .toEqual([missing.body.code, missing.body.message.replace(/[0-9a-f-]{36}/, 'ID')]);
      const hiddenTemplate = await t.http.get('/api/orchestration/templates/tenantCreation').set(bearer(key.attacker)).expect(404);
      expect(hiddenTemplate.body).toMatchObject({ code: 'TEMPLATE_NOT_FOUND', message: 'No template named tenantCreation' });
      const listed = await t.http.get('/api/orchestration/templates').set(bearer(key.attacker)).expect(200);
      expect(listed.body.items).toEqual([]);
      for (const query of [{}, { orchName: 'tenantCreation' }]) {
        const runs = await t.http.get('/api/orchestration/runs').query(query).set(bearer(key.attacker)).expect(200);
        expect([query, runs.body.total, runs.body.items]).toEqual([query, 0, []]);
      }
      const viewerRuns = await t.http.get('/api/orchestration/runs').query({ orchName: 'tenantCreation' }).set(bearer(key.viewer)).expect(200);
      expect(viewerRuns.body.total).toBeGreaterThanOrEqual(2);
      const all = await t.http.get('/api/orchestration/templates').set(bearer(key.viewer)).expect(200);
      expect(all.body.items.map((i: { orchName: string }) => i.orchName)).toEqual(['orders', 'payment', 'tenantCreation']);
    });

    it("a service key starts runs of its own templates only: another's is not found, whatever idempotency key it sends", async () => {
      const runIds = async () => (await t.http.get('/api/orchestration/runs').query({ orchName: 'tenantCreation', pageSize: 500 })
        .set(bearer(admin)).expect(200)).body.items.map((r: { flowId: string }) => r.flowId);
      const owned = await t.http.post('/api/orchestration/execute/tenantCreation').set(bearer(key['tenant-service']))
        .set('Idempotency-Key', 'order-7').send({ card: '5500' }).expect(202);
      const before = await runIds();
      const missing = await t.http.post('/api/orchestration/execute/noSuchFlow').set(bearer(key.attacker)).send({}).expect(404);
      // The owner's idempotency key, with its payload and with another: neither gives the owner's run away.
      for (const body of [{ card: '5500' }, { card: '4111' }, {}]) {
        const res = await t.http.post('/api/orchestration/execute/tenantCreation').set(bearer(key.attacker))
          .set('Idempotency-Key', 'order-7').send(body).expect(404);
        expect([res.body.code, res.body.message.replace('tenantCreation', 'X')]).toEqual([missing.body.code, missing.body.message.replace('noSuchFlow', 'X')]);
        expect(JSON.stringify(res.body)).not.toContain(owned.body.flowId);
      }
      // The owner's retry still finds its run, and nothing was started.
      const again = await t.http.post('/api/orchestration/execute/tenantCreation').set(bearer(key['tenant-service']))
        .set('Idempotency-Key', 'order-7').send({ card: '5500' }).expect(202);
      expect(again.body).toMatchObject({ flowId: owned.body.flowId, created: false });
      expect(await runIds()).toEqual(before);
      // An operator starts any template.
      const operator = await issueKey(t, admin, 'operator');
      await t.http.post('/api/orchestration/execute/tenantCreation').set(bearer(operator)).send({}).expect(202);
    });

    it('a revoked key stops working at once, and its revocation is audited', async () => {
      const doomed = await issueKey(t, admin, 'viewer');
      await t.http.get('/api/orchestration/templates').set(bearer(doomed)).expect(200);
      const prefix = doomed.split('_')[1];
      const first = await t.http.delete(`/api/admin/api-keys/${prefix}`).set(bearer(admin)).expect(200);
      const again = await t.http.delete(`/api/admin/api-keys/${prefix}`).set(bearer(admin)).expect(200);
      expect([first.body.changed, again.body.changed, again.body.revokedAt]).toEqual([true, false, first.body.revokedAt]);
      const res = await t.http.get('/api/orchestration/templates').set(bearer(doomed)).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(await securityAudit('KEY_REVOKED')).toContainEqual(expect.objectContaining({ target: `api-key ${prefix}` }));
    });

    it("lists a service's keys, a role's, and those active, expired or revoked", async () => {
      const prefixOf = (k: string) => k.split('_')[1];
      const [kept, revoked, expired] = [
        await issueKey(t, admin, 'service', 'rotating-service'), await issueKey(t, admin, 'service', 'rotating-service'),
        await issueKey(t, admin, 'service', 'rotating-service'),
      ];
      await t.http.delete(`/api/admin/api-keys/${prefixOf(revoked)}`).set(bearer(admin)).expect(200);
      await t.get(DataSource).query(`UPDATE api_key SET expires_at = now() - interval '1 minute' WHERE prefix = $1`, [prefixOf(expired)]);
      const list = async (query: Record<string, string>) => ((await t.http.get('/api/admin/api-keys').query(query).set(bearer(admin)).expect(200))
        .body.items as Array<{ prefix: string }>).map((k) => k.prefix);
      expect(await list({ service: 'rotating-service' })).toEqual([expired, revoked, kept].map(prefixOf));
      expect(await list({ service: 'rotating-service', state: 'active' })).toEqual([prefixOf(kept)]);
      expect(await list({ service: 'rotating-service', state: 'revoked' })).toEqual([prefixOf(revoked)]);
      expect(await list({ service: 'rotating-service', state: 'expired' })).toEqual([prefixOf(expired)]);
      expect(await list({ service: 'rotating-service', role: 'viewer' })).toEqual([]);
      expect(await list({ role: 'viewer', state: 'active' })).toContain(prefixOf(key.viewer));
      const bad = await t.http.get('/api/admin/api-keys').query({ state: 'lost', role: 'root' }).set(bearer(admin)).expect(400);
      expect(bad.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['query.role', 'query.state']);
    });

    it('never returns a key secret after its creation, nor the admin key', async () => {
      const keys = await t.http.get('/api/admin/api-keys').set(bearer(admin)).expect(200);
      const audit = await t.http.get('/api/admin/security-audit').query({ pageSize: 200 }).set(bearer(admin)).expect(200);
      const secrets = [admin, ...Object.values(key)].map((k) => k.split('_').slice(2).join('_'));
      for (const text of [JSON.stringify(keys.body), JSON.stringify(audit.body)]) {
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
      expect(keys.body.items.length).toBeGreaterThanOrEqual(5);
    });
  });
}
