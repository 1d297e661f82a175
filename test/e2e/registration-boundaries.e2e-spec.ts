import { initiatorYaml, workerJson } from '../helpers/documents';
import { startTestApp, TestApp } from '../helpers/test-app';
import { NOT_KEPT } from '../../src/registry/refused-document';

const REGISTER = '/api/orchestration/register';
const BAD_NAMES = ['payments@corp', 'team/x', 'a b', '-lead'];

/**
 * A registration stays within its service's own names: a service name Kafka and the HTTP worker
 * routes can carry, its own command topic, and no adapter's reserved template names. Each
 * refusal names its field and is audited (embedded default, auth off: names are claimed freely).
 */
describe('registration boundaries (embedded default)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ MAX_TEMPLATES_PER_SERVICE: '2', ALLOWED_WORKER_TOPIC_PATTERN: 'legacy\\..+' });
    await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'owner').send(initiatorYaml('bounded')).expect(201);
  }, 120_000); // a fresh data directory's initdb: 10-40 s on a loaded machine, like the other suites allow
  afterAll(() => t.close());

  const rejected = async (serviceName: string) =>
    (await t.http.get('/api/orchestration/registrations/audit').query({ outcome: 'REJECTED', serviceName }).expect(200)).body.items;
  const denials = async () =>
    (await t.http.get('/api/admin/security-audit').query({ event: 'DENIED', pageSize: 200 }).expect(200)).body.items as
      Array<{ code: string; reason: string; target: string }>;

  it.each(BAD_NAMES)('refuses X-Service-Name %p with a 400 naming the header, and audits it', async (name) => {
    const res = await t.http.post(REGISTER).set('X-Service-Name', name).send(workerJson('bounded', ['createRealm'])).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST', problems: [{ path: 'headers.x-service-name', message: expect.stringContaining('letter or digit') }] });
    expect((await rejected(name))[0]).toMatchObject({ orchName: 'bounded', reason: expect.stringContaining('INVALID_REQUEST') });
  });

  it.each(BAD_NAMES)("refuses a document's service %p, initiator or worker, with a 400 naming the field", async (name) => {
    const initiator = await t.http.post(REGISTER)
      .send({ orchName: 'badOwner', as: 'initiator', type: 'sequential', service: name, steps: [{ seq: 1, name: 'a', objectType: 'S' }] }).expect(400);
    const worker = await t.http.post(REGISTER).send({ ...workerJson('bounded', ['createRealm']), service: name }).expect(400);
    for (const res of [initiator, worker]) expect(res.body).toMatchObject({ code: 'INVALID_DOCUMENT', problems: [{ path: 'service' }] });
  });

  it('refuses a JSON document that gives a key twice (JSON.parse would keep the last), naming its line and column, and audits it', async () => {
    const text = JSON.stringify(workerJson('twice', ['createRealm'])).replace('"as":"worker"', '"as":"worker","as":"initiator"');
    const res = await t.http.post(REGISTER).set('Content-Type', 'application/json').set('X-Service-Name', 'twice').send(text).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_DOCUMENT', problems: [{ path: '(document)', message: 'invalid JSON: duplicate key "as"', line: 1 }] });
    expect((await rejected('twice'))[0]).toMatchObject({ reason: expect.stringContaining('INVALID_DOCUMENT') });
  });

  it('refuses a document holding a whole API key, naming where, and audits it with the key cut to its prefix', async () => {
    const secret = 'k'.repeat(43);
    const res = await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'keyed')
      .send(`${initiatorYaml('keyed')}# deploy with bk_abcd1234_${secret}\n`).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_DOCUMENT', problems: [{ path: '(document)', line: 7, column: 15,
      message: expect.stringMatching(/^holds a whole API key \(bk_abcd1234_…\): a credential does not belong in a template/) }] });
    await t.http.post(REGISTER).set('X-Service-Name', 'keyed').send({ ...workerJson('keyed', ['createRealm']), note: `bk_abcd1234_${secret}` }).expect(400);
    const audit = (await t.http.get('/api/orchestration/registrations/audit').query({ serviceName: 'keyed' }).expect(200)).body.items;
    expect(audit.map((a: { outcome: string }) => a.outcome)).toEqual(['REJECTED', 'REJECTED']);
    expect(JSON.stringify({ audit, res: res.body })).not.toContain(secret);
    expect(audit.map((a: { document: string }) => a.document.includes('bk_abcd1234_…'))).toEqual([true, true]);
  });

  /**
   * A template is refused for a credential in a header or query (every viewer reads it); its audit
   * row, which keeps a refused document, keeps none of it, whatever the spelling (a syntax error
   * elsewhere, a leading zero, YAML quoting): the problems say where.
   */
  it('audits a document refused for credentials without its text, its problems kept', async () => {
    const partnerKey = 'sk_live_51Hx9PARTNERSECRETabcdef0123456789';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZW5hbnQtc2VydmljZSIsInJvbGVzIjpbInNlcnZpY2UiXX0.c2lnbmF0dXJl';
    const yaml = 'orchName: charged\nas: initiator\ntype: sequential\nsteps:\n  - seq: 1\n    name: charge\n    objectType: String\n'
      + '    handler:\n      type: http\n      connection: psp\n      method: POST\n      path: /charges\n'
      + `      headers:\n        X-Auth-Token: ${partnerKey}\n        Authorization: Bearer ${jwt}\n        X-Tenant: acme\n`
      + '      query:\n        access_token: q-0123456789abcdef\n';
    const res = await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'charger').send(yaml).expect(400);
    expect(res.body.problems.map((p: { path: string }) => p.path))
      .toEqual(['steps[0].handler.headers.X-Auth-Token', 'steps[0].handler.headers.Authorization', 'steps[0].handler.query.access_token']);
    const json = { orchName: 'charged', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'charge', objectType: 'String',
      handler: { type: 'http', connection: 'psp', path: '/charges', headers: { 'X-Api-Key': partnerKey } } }] };
    await t.http.post(REGISTER).set('X-Service-Name', 'charger').send(json).expect(400);
    const audit = await rejected('charger');
    expect(audit).toHaveLength(2);
    for (const secret of [partnerKey, jwt, 'q-0123456789abcdef']) expect(JSON.stringify(audit)).not.toContain(secret);
    expect(audit.map((a: { document: string }) => a.document)).toEqual([NOT_KEPT, NOT_KEPT]);
    // A hash of the whole text would let a viewer who knows the rest test guesses of a weak secret offline.
    expect(audit.map((a: { documentSha256: string | null }) => a.documentSha256)).toEqual([null, null]);
    expect(audit[1].problems.map((p: { path: string }) => p.path)).toContain('steps[0].handler.headers.X-Auth-Token');
    const broken = `orchName: [broken\n${yaml.slice(yaml.indexOf('as:'))}`.replace(partnerKey, `'${partnerKey.slice(0, 8)}''${partnerKey.slice(8)}'`);
    await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'charger').send(broken).expect(400);
    const [latest] = await rejected('charger');
    expect([latest.document, latest.documentSha256]).toEqual([NOT_KEPT, null]);
  });

  it('refuses a service a template beyond MAX_TEMPLATES_PER_SERVICE, and still takes new versions of its own and other services\' templates', async () => {
    const register = (service: string, orchName: string, step = 'a') => t.http.post(REGISTER).set('X-Service-Name', service)
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: step, objectType: 'S' }] });
    await register('hoarder', 'hoard1').expect(201);
    await register('hoarder', 'hoard2').expect(201);
    const refused = await register('hoarder', 'hoard3').expect(403);
    expect(refused.body).toMatchObject({ code: 'TEMPLATE_LIMIT_REACHED', message: expect.stringContaining('MAX_TEMPLATES_PER_SERVICE') });
    expect((await rejected('hoarder'))[0]).toMatchObject({ orchName: 'hoard3', reason: expect.stringContaining('TEMPLATE_LIMIT_REACHED') });
    await t.http.get('/api/orchestration/templates/hoard3').expect(404);
    expect((await register('hoarder', 'hoard2', 'b').expect(201)).body).toMatchObject({ outcome: 'UPDATED', version: 2 });
    await register('thrifty', 'thrift1').expect(201);
  });

  it('refuses worker registrations for more templates than MAX_TEMPLATES_PER_SERVICE, each a name another service may never register', async () => {
    const work = (orchName: string, steps = ['x']) => t.http.post(REGISTER).set('X-Service-Name', 'prowler').send(workerJson(orchName, steps));
    await work('ghost1').expect(201);
    await work('ghost2').expect(201);
    expect((await work('ghost3').expect(403)).body).toMatchObject({ code: 'TEMPLATE_LIMIT_REACHED', message: expect.stringContaining('registers workers for 2 templates') });
    await work('ghost2', ['x', 'y']).expect(201); // more steps of a template it works for already
  });

  it('refuses a service more than MAX_STEPS step registrations of one template, however many documents it sends them in', async () => {
    const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => `s${from + i}`);
    const work = (steps: string[]) => t.http.post(REGISTER).set('X-Service-Name', 'sprawler').send(workerJson('sprawl', steps));
    await work(names(0, 150)).expect(201);
    await work(names(150, 50)).expect(201);
    expect((await work(names(200, 1)).expect(403)).body).toMatchObject({
      code: 'TEMPLATE_LIMIT_REACHED', message: expect.stringContaining('sprawler would register 201 steps of sprawl'),
      problems: [{ path: 'steps', message: '200 steps registered already, 1 more here: at most 200 in all' }],
    });
    expect((await t.http.get('/api/orchestration/workers').query({ orchName: 'sprawl', pageSize: 1 }).expect(200)).body.total).toBe(200);
    await work(names(100, 100)).expect(200); // steps it has already: nothing added
  });

  it("refuses a worker topic of another service, and sub-topics, with a 400; audited twice", async () => {
    const prefix = t.config.COMMAND_TOPIC_PREFIX;
    for (const topic of [`${prefix}owner`, `${prefix}realm-service.slow`]) {
      const res = await t.http.post(REGISTER).set('X-Service-Name', 'realm-service').send(workerJson('bounded', ['createRealm'], topic)).expect(400);
      expect(res.body).toMatchObject({ code: 'WORKER_TOPIC_NOT_ALLOWED', problems: [{ path: 'topic' }] });
    }
    expect((await rejected('realm-service')).map((r: { reason: string }) => r.reason))
      .toEqual([expect.stringContaining('WORKER_TOPIC_NOT_ALLOWED'), expect.stringContaining('WORKER_TOPIC_NOT_ALLOWED')]);
    expect(await denials()).toContainEqual(expect.objectContaining({
      code: 'WORKER_TOPIC_NOT_ALLOWED', target: 'POST /api/orchestration/register', reason: expect.stringContaining(`${prefix}owner`),
    }));
    await t.http.post(REGISTER).set('X-Service-Name', 'realm-service').send(workerJson('bounded', ['createRealm'], `${prefix}realm-service`)).expect(201);
  });

  it('refuses a worker whose RabbitMQ command queue <service>.<topic> would pass 255 bytes, naming the field, on any broker', async () => {
    const long = 'q'.repeat(117); // a valid service name, whose own queue is 2 × 117 + 23 bytes
    const byHeader = await t.http.post(REGISTER).set('X-Service-Name', long).send(workerJson('bounded', ['createRealm'])).expect(400);
    const byDocument = await t.http.post(REGISTER).send({ ...workerJson('bounded', ['createRealm']), service: long }).expect(400);
    const byTopic = await t.http.post(REGISTER).set('X-Service-Name', 'b'.repeat(55))
      .send(workerJson('bounded', ['createRealm'], `legacy.${'t'.repeat(193)}`)).expect(400);
    expect([byHeader, byDocument, byTopic].map((res) => res.body)).toEqual(['headers.x-service-name', 'service', 'topic'].map((path) => ({
      code: 'WORKER_TOPIC_NOT_ALLOWED', message: expect.stringContaining('cannot carry worker commands'), correlationId: expect.any(String),
      problems: [{ path, message: expect.stringMatching(/bytes long, and RabbitMQ allows 255: use a shorter name$/) }],
    })));
    expect((await rejected(long))[0]).toMatchObject({ reason: expect.stringContaining('WORKER_TOPIC_NOT_ALLOWED') });
    // A name too long is a mistake, not a reach beyond the service's own names.
    expect((await denials()).filter((d) => d.reason.includes(long))).toEqual([]);
    await t.http.post(REGISTER).set('X-Service-Name', 'q'.repeat(116)).send(workerJson('bounded', ['createRealm'])).expect(201);
  });

  it("refuses the Orca adapter's topics as Baton's own, with ORCA_COMPAT off", async () => {
    for (const topic of [t.config.ORCA_REQUEST_TOPIC, t.config.ORCA_STATUS_TOPIC]) {
      const res = await t.http.post(REGISTER).set('X-Service-Name', 'realm-service').send(workerJson('bounded', ['createRealm'], topic)).expect(400);
      expect(res.body).toMatchObject({ code: 'WORKER_TOPIC_NOT_ALLOWED', problems: [{ path: 'topic', message: `${topic} is one of Baton's own topics` }] });
    }
  });

  it("keeps the Orca adapter's template names for its own service, baton-orca", async () => {
    const res = await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'payments')
      .send(initiatorYaml('orca.awx.job_template.42.prod')).expect(403);
    expect(res.body).toMatchObject({ code: 'TEMPLATE_OWNED_BY_OTHER_SERVICE', problems: [{ path: 'orchName', message: expect.stringContaining('baton-orca') }] });
    expect((await rejected('payments'))[0]).toMatchObject({ orchName: 'orca.awx.job_template.42.prod' });
    expect(await denials()).toContainEqual(expect.objectContaining({ code: 'TEMPLATE_OWNED_BY_OTHER_SERVICE', reason: expect.stringContaining('reserved for baton-orca') }));
    await t.http.get('/api/orchestration/templates/orca.awx.job_template.42.prod').expect(404);
    await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'baton-orca')
      .send(initiatorYaml('orca.awx.job_template.42.prod')).expect(201);
  });
});
