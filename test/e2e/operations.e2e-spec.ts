import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initiatorYaml } from '../helpers/documents';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('operations: health, metrics, docs, correlation ids, definitions', () => {
  let t: TestApp;
  const definitions = mkdtempSync(join(tmpdir(), 'baton-defs-'));

  beforeAll(async () => {
    mkdirSync(definitions, { recursive: true });
    writeFileSync(join(definitions, 'good.yaml'), `service: defs\n${initiatorYaml('fromFile')}`);
    writeFileSync(join(definitions, 'broken.yml'), 'orchName: brokenFile\nas: initiator\ntype: sequential\nsteps: nope\n');
    t = await startTestApp({ DEFINITIONS_DIR: definitions });
  });
  afterAll(() => t.close());

  it('reports health with the database and broker', async () => {
    const res = await t.http.get('/api/orchestration/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.messaging.status).toBe('up');
    expect(res.body.details.healer.status).toBe('up');
  });

  it('serves Prometheus metrics', async () => {
    const res = await t.http.get('/metrics').expect(200);
    // Sample lines, not just the HELP text prom-client prints for every registered metric.
    expect(res.text).toMatch(/baton_registrations_total\{[^}]*outcome="CREATED"[^}]*\} 1/);
    expect(res.text).toMatch(/baton_registrations_total\{[^}]*outcome="REJECTED"[^}]*\} 1/);
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('serves the OpenAPI document and both Swagger UIs', async () => {
    const spec = await t.http.get('/docs-json').expect(200);
    for (const path of ['/api/orchestration/register', '/api/orchestration/execute/{orchName}', '/api/orchestration/runs/{flowId}']) {
      expect(Object.keys(spec.body.paths)).toContain(path);
    }
    // Its scripts come from Baton as the page did: over plain HTTP on a dev VM's address too (no upgrade-insecure-requests).
    const swagger = await t.http.get('/swagger-ui.html').expect(200);
    expect(swagger.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(swagger.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    await t.http.get('/docs').expect(200);
    await t.http.get('/v3/api-docs').expect(200);
  });

  it('echoes the caller correlation id, or makes one', async () => {
    const given = await t.http.get('/api/orchestration/templates').set('X-Correlation-ID', 'abc-123').expect(200);
    expect(given.headers['x-correlation-id']).toBe('abc-123');
    const made = await t.http.get('/api/orchestration/nope').expect(404);
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body).toMatchObject({ code: 'NOT_FOUND', correlationId: made.headers['x-correlation-id'] });
    expect(JSON.stringify(made.body)).not.toMatch(/at .*\.js/);
  });

  it('registers definitions at boot, and audits a broken file without failing the start', async () => {
    const good = await t.http.get('/api/orchestration/templates/fromFile').expect(200);
    expect(good.body.ownerService).toBe('defs');
    const audit = await t.http.get('/api/orchestration/registrations/audit?orchName=brokenFile').expect(200);
    expect(audit.body.items[0]).toMatchObject({ outcome: 'REJECTED', source: 'file' });
  });
});
