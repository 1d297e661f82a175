import { initiatorYaml, workerJson } from '../helpers/documents';
import { startTestApp, TestApp } from '../helpers/test-app';

const REGISTER = '/api/orchestration/register';

/** Scenarios shared by the embedded e2e suite and the real-server suites. */
export function registryScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`registry over REST (${setting})`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ BODY_LIMIT_BYTES: String(64 * 1024), ...(await env()) });
    });
    afterAll(() => t.close());

    const yaml = (body: string, service = 'tenant-service') =>
      t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', service).send(body);
    const json = (body: object, service = 'realm-service') => t.http.post(REGISTER).set('X-Service-Name', service).send(body);

    it('accepts the original initiator document in YAML and reports the missing workers', async () => {
      const res = await yaml(initiatorYaml('tenantCreation')).expect(201);
      expect(res.body).toMatchObject({
        orchName: 'tenantCreation', role: 'initiator', outcome: 'CREATED', version: 1, status: 'PENDING',
        missingSteps: ['createRealm', 'createClient'],
      });
    });

    it('treats the same document again as a no-op with the same version', async () => {
      const res = await yaml(initiatorYaml('tenantCreation')).expect(200);
      expect(res.body).toMatchObject({ outcome: 'UNCHANGED', version: 1 });
    });

    it('becomes READY once every step has a worker, registered in JSON', async () => {
      const first = await json(workerJson('tenantCreation', ['createRealm'])).expect(201);
      expect(first.body).toMatchObject({ status: 'PENDING', missingSteps: ['createClient'] });
      const second = await json(workerJson('tenantCreation', ['createClient']), 'client-service').expect(201);
      expect(second.body).toMatchObject({ status: 'READY', missingSteps: [] });
      await json(workerJson('tenantCreation', ['createClient']), 'client-service').expect(200);
    });

    it('accepts the same initiator document in JSON, and YAML media type variants', async () => {
      await t.http.post(REGISTER).set('X-Service-Name', 's').send({
        orchName: 'jsonFlow', as: 'initiator', type: 'parallel', steps: [{ seq: 1, name: 'a', objectType: 'String' }],
      }).expect(201);
      for (const type of ['application/x-yaml', 'text/yaml']) {
        await t.http.post(REGISTER).set('Content-Type', type).set('X-Service-Name', 's')
          .send(initiatorYaml(`flow-${type.replace('/', '-')}`, 'simultaneous')).expect(201);
      }
    });

    it('creates a new version when the steps change, and keeps the old one', async () => {
      const res = await yaml(initiatorYaml('tenantCreation', 'sequential', ['createRealm', 'createClient', 'sendMail'])).expect(201);
      expect(res.body).toMatchObject({ outcome: 'UPDATED', version: 2, status: 'PENDING', missingSteps: ['sendMail'] });
      const detail = await t.http.get('/api/orchestration/templates/tenantCreation').expect(200);
      expect(detail.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(detail.body.workers).toHaveLength(2);
    });

    it('details the ten newest versions, and an older one asked for, and counts them all', async () => {
      for (let v = 1; v <= 12; v++) await json({ orchName: 'oftenChanged', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: `step${v}`, objectType: 'String' }] }).expect(201);
      const versionsOf = async (query = '') => {
        const { body } = await t.http.get(`/api/orchestration/templates/oftenChanged${query}`).expect(200);
        return [body.versionCount, body.versions.map((v: { version: number; steps: Array<{ name: string }> }) => `${v.version}:${v.steps[0].name}`)];
      };
      const newest = Array.from({ length: 10 }, (_, i) => `${12 - i}:step${12 - i}`);
      expect(await versionsOf()).toEqual([12, newest]);
      expect(await versionsOf('?version=1')).toEqual([12, [...newest, '1:step1']]);
      expect(await versionsOf('?version=5')).toEqual([12, newest]);
      expect(await versionsOf('?version=40')).toEqual([12, newest]);
      const bad = await t.http.get('/api/orchestration/templates/oftenChanged?version=0').expect(400);
      expect(bad.body.problems).toEqual([{ path: 'query.version', message: 'version must not be less than 1' }]);
    });

    it('refuses a document of more than 200 steps, naming the list', async () => {
      const steps = (n: number) => Array.from({ length: n }, (_, i) => ({ seq: 1 + (i % 2), name: `s${i}`, objectType: 'String' }));
      const res = await json({ orchName: 'tooWide', as: 'initiator', type: 'sequential', steps: steps(201) }).expect(400);
      expect([res.body.code, res.body.problems]).toEqual(['INVALID_DOCUMENT', [{ path: 'steps', message: 'must have at most 200 steps' }]]);
      await json({ orchName: 'tooWide', as: 'initiator', type: 'sequential', steps: steps(200) }).expect(201);
      const wide = await t.http.get('/api/orchestration/templates/tooWide').expect(200);
      expect(wide.body.versions[0].graph.edges).toHaveLength(100 * 100);
    });

    it('forbids another service to change a template it does not own', async () => {
      const res = await yaml(initiatorYaml('tenantCreation', 'parallel'), 'intruder').expect(403);
      expect(res.body.code).toBe('TEMPLATE_OWNED_BY_OTHER_SERVICE');
    });

    it("tells a worker which of its steps another service's earlier registration serves, and which the template lacks", async () => {
      await yaml(initiatorYaml('standbyFlow')).expect(201);
      await json(workerJson('standbyFlow', ['createRealm', 'createClient'])).expect(201);
      const standby = await json(workerJson('standbyFlow', ['createRealm', 'createClient', 'createRelm']), 'standby-service').expect(201);
      expect(standby.body).toMatchObject({ stepsServedByOthers: ['createRealm', 'createClient'], unknownSteps: ['createRelm'] });
      expect(JSON.stringify(standby.body)).not.toContain('realm-service');
      const own = await json(workerJson('standbyFlow', ['createRealm', 'createClient'])).expect(200);
      expect(own.body).toMatchObject({ stepsServedByOthers: [], unknownSteps: [] });
    });

    it('rejects a worker whose objectType differs from the template', async () => {
      const res = await json({ orchName: 'tenantCreation', as: 'worker', steps: [{ name: 'createRealm', objectType: 'Integer' }] }).expect(409);
      expect(res.body).toMatchObject({ code: 'OBJECT_TYPE_MISMATCH', problems: [{ path: 'steps[0].objectType' }] });
    });

    it('keeps workers that register before the initiator and counts them when it arrives', async () => {
      await json(workerJson('lateFlow', ['createRealm', 'createClient'])).expect(201);
      const res = await yaml(initiatorYaml('lateFlow')).expect(201);
      expect(res.body).toMatchObject({ status: 'READY', missingSteps: [] });
    });

    it('counts a worker that registers at the same moment as its new template (no healer needed)', async () => {
      const names = Array.from({ length: 12 }, (_, i) => `raceFlow${i}`);
      const answers = await Promise.all(names.flatMap((name) => [
        yaml(initiatorYaml(name)), json(workerJson(name, ['createRealm', 'createClient'])), yaml(initiatorYaml(name)),
      ]));
      expect(answers.map((r) => r.status).sort()).toEqual([...Array(12).fill(200), ...Array(24).fill(201)]);
      for (const name of names) {
        expect((await t.http.get(`/api/orchestration/templates/${name}`).expect(200)).body).toMatchObject({ status: 'READY', version: 1 });
      }
    });

    it('lists every problem of a bad document with its path, line and column, and audits it', async () => {
      const bad = 'orchName: broken\nas: initiator\ntype: zigzag\nsteps:\n  - {seq: 1, name: a}\n  - {seq: 1, name: a, objectType: String, colour: red}\n';
      const res = await yaml(bad, 'bad-service').expect(400);
      expect(res.body.code).toBe('INVALID_DOCUMENT');
      const paths = res.body.problems.map((p: { path: string }) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['type', 'steps[0].objectType', 'steps[1].colour']));
      expect(res.body.problems.find((p: { path: string }) => p.path === 'type')).toMatchObject({ line: 3 });
      expect(res.body.problems.some((p: { message: string }) => /duplicate/i.test(p.message))).toBe(true);
      const audit = await t.http.get('/api/orchestration/registrations/audit?serviceName=bad-service').expect(200);
      expect(audit.body.items[0]).toMatchObject({ outcome: 'REJECTED', source: 'http', orchName: 'broken' });
      expect(audit.body.items[0].problems.length).toBeGreaterThanOrEqual(3);
    });

    it('reports YAML syntax errors with line and column', async () => {
      const res = await yaml('orchName: x\nsteps: [unclosed\n').expect(400);
      expect(res.body.problems[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    });

    it('reads a JSON body as it came: a scalar, or a string holding a document, is no document', async () => {
      const post = (body: string) => t.http.post(REGISTER).set('X-Service-Name', 'tenant-service').set('Content-Type', 'application/json').send(body);
      for (const [body, kind] of [['"str"', 'a string'], ['null', 'nothing'], [JSON.stringify(JSON.stringify({ orchName: 'dbl', as: 'worker', steps: [{ name: 'a', objectType: 'String' }] })), 'a string']]) {
        const res = await post(body).expect(400);
        expect([body, res.body.code, res.body.problems]).toEqual([body, 'INVALID_DOCUMENT', [expect.objectContaining({ message: `the document must be a map (with orchName, as, steps), found ${kind}` })]]);
      }
      await t.http.get('/api/orchestration/templates/dbl').expect(404);
      const empty = await post('').expect(400);
      expect(empty.body.code).toBe('INVALID_DOCUMENT');
    });

    it('refuses a body that is not JSON, YAML or UTF-8 as the document\'s problem, with line and column, and audits each attempt', async () => {
      const post = (body: string | Buffer, type: string) => t.http.post(REGISTER).set('X-Service-Name', 'garbled-service').set('Content-Type', type).send(body);
      const truncated = await post('{"orchName": "cut", "as": "worker", "steps": [', 'application/json').expect(400);
      expect(truncated.body).toMatchObject({ code: 'INVALID_DOCUMENT', problems: [{ line: 1, column: expect.any(Number) }] });
      // YAML sent as JSON is read as the JSON it claims to be.
      const yamlAsJson = await post('orchName: cut\nas: worker\n', 'application/json').expect(400);
      expect(yamlAsJson.body).toMatchObject({ code: 'INVALID_DOCUMENT', problems: [{ line: 1, column: expect.any(Number) }] });
      const latin1 = await post(Buffer.from('orchName: caf\xe9\n', 'latin1'), 'application/yaml').expect(400);
      expect(latin1.body).toMatchObject({ code: 'INVALID_DOCUMENT', problems: [{ message: 'the document is not valid UTF-8' }] });
      const audit = await t.http.get('/api/orchestration/registrations/audit?serviceName=garbled-service').expect(200);
      expect(audit.body.items.map((a: { outcome: string }) => a.outcome)).toEqual(['REJECTED', 'REJECTED', 'REJECTED']);
    });

    it('lists a bad X-Service-Name with the document\'s own problems, not after them', async () => {
      const res = await t.http.post(REGISTER).set('X-Service-Name', 'no spaces please').send({ orchName: 'x', as: 'worker' }).expect(400);
      expect(res.body.code).toBe('INVALID_DOCUMENT');
      expect(res.body.problems.map((p: { path: string }) => p.path)).toEqual(['headers.x-service-name', 'steps']);
    });

    it('needs a service name', async () => {
      const res = await t.http.post(REGISTER).send(workerJson('tenantCreation', ['createRealm'])).expect(400);
      expect(res.body.code).toBe('MISSING_SERVICE_NAME');
      expect(res.body.problems).toEqual([{ path: 'headers.x-service-name', message: 'is required when the document has no service field' }]);
    });

    it('answers 413 past the body cap', async () => {
      const res = await yaml(`orchName: big\n# ${'x'.repeat(70 * 1024)}\n`).expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('pages templates, workers and the audit', async () => {
      const page = await t.http.get('/api/orchestration/templates?page=1&pageSize=2').expect(200);
      expect(page.body).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number) });
      expect(page.body.items).toHaveLength(2);
      const pending = await t.http.get('/api/orchestration/templates?status=PENDING').expect(200);
      expect(pending.body.items.every((i: { status: string }) => i.status === 'PENDING')).toBe(true);
      const workers = await t.http.get('/api/orchestration/workers?orchName=tenantCreation').expect(200);
      expect(workers.body.total).toBe(2);
      const audit = await t.http.get('/api/orchestration/registrations/audit?outcome=UNCHANGED').expect(200);
      expect(audit.body.items.length).toBeGreaterThan(0);
      await t.http.get('/api/orchestration/templates?pageSize=1000').expect(400);
    });

    it('lists the services registered as workers, a page of services, each with its steps by template and step', async () => {
      const services = (query: Record<string, string | number>) => t.http.get('/api/orchestration/worker-services').query(query).expect(200);
      await json(workerJson('svcList', ['pack', 'label']), 'svclist-b').expect(201);
      await json(workerJson('svcList', ['ship']), 'svclist-a').expect(201);
      await json(workerJson('svcListOther', ['audit']), 'svclist-b').expect(201);
      const all = await services({ orchName: 'svcList' });
      expect(all.body).toMatchObject({ page: 1, pageSize: 20, total: 2 });
      expect(all.body.items.map((s: { serviceName: string; registrationCount: number; registrations: { stepName: string }[] }) =>
        [s.serviceName, s.registrationCount, s.registrations.map((w) => w.stepName)])).toEqual([
        ['svclist-a', 1, ['ship']], ['svclist-b', 2, ['label', 'pack']],
      ]);
      expect(all.body.items[0].topics).toEqual([`${t.config.COMMAND_TOPIC_PREFIX}svclist-a`]);
      const [b] = all.body.items.slice(1) as { lastChangedAt: string; registrations: { updatedAt: string }[] }[];
      expect(b.lastChangedAt).toBe(b.registrations.map((w) => w.updatedAt).sort().at(-1));
      expect(new Date(b.lastChangedAt).toISOString()).toBe(b.lastChangedAt);
      // Paged by service, not by registration: the second page holds the second service whole.
      const second = await services({ orchName: 'svcList', page: 2, pageSize: 1 });
      expect([second.body.total, second.body.items.map((s: { serviceName: string }) => s.serviceName)]).toEqual([2, ['svclist-b']]);
      expect(second.body.items[0].registrations).toHaveLength(2);
      const one = await services({ serviceName: 'svclist-b' });
      expect(one.body.items.map((s: { registrations: { orchName: string; stepName: string }[] }) => s.registrations.map((w) => `${w.orchName}.${w.stepName}`)))
        .toEqual([['svcList.label', 'svcList.pack', 'svcListOther.audit']]);
      expect((await services({ serviceName: 'nobody' })).body).toMatchObject({ items: [], total: 0 });
      await t.http.get('/api/orchestration/worker-services?pageSize=101').expect(400); // a service comes with up to 200 registrations
    });

    it("gives a service's first 200 registrations (a template's most) with the services, and counts them all", async () => {
      for (const orchName of ['manyA', 'manyB', 'manyC']) {
        await json(workerJson(orchName, Array.from({ length: 200 }, (_, i) => `s${String(i).padStart(3, '0')}`)), 'svc-many').expect(201);
      }
      const res = await t.http.get('/api/orchestration/worker-services?serviceName=svc-many').expect(200);
      const [many] = res.body.items;
      expect([many.registrationCount, many.registrations.length]).toEqual([600, 200]);
      expect([many.registrations[0].stepName, many.registrations[199].stepName]).toEqual(['s000', 's199']);
      expect(new Set(many.registrations.map((w: { orchName: string }) => w.orchName))).toEqual(new Set(['manyA']));
      // A template filter shows a template's steps whole.
      const one = await t.http.get('/api/orchestration/worker-services?serviceName=svc-many&orchName=manyC').expect(200);
      expect([one.body.items[0].registrationCount, one.body.items[0].registrations.length]).toEqual([200, 200]);
    });

    it('answers 404 for an unknown template', async () => {
      const res = await t.http.get('/api/orchestration/templates/nope').expect(404);
      expect(res.body.code).toBe('TEMPLATE_NOT_FOUND');
    });
  });
}
