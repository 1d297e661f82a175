import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * Connections carry their partner's credentials, and were open to every service: any service key
 * could register a template that had Baton launch any AWX job template, or call any path of the
 * ERP with its token. A connection's SERVICES lists who may name it; others are refused at
 * registration. Nothing here is ever called: the refusal comes first, and the allowed template never runs.
 */
describe('connections open to the services they list', () => {
  let t: TestApp;
  const register = (service: string, handler: object, undo?: object) => t.http.post('/api/orchestration/register').set('X-Service-Name', service)
    .send({ orchName: `provision-${service}`, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'job', objectType: 'String', handler, ...(undo ? { undo } : {}) }] });

  beforeAll(async () => {
    t = await startTestApp({
      AWX_HOST: 'http://127.0.0.1:9', AWX_TOKEN: 'awx-never-used', AWX_SERVICES: 'ops-team',
      HTTP_CONNECTIONS: 'erp,public', HTTP_ERP_BASE_URL: 'http://127.0.0.1:9/api', HTTP_ERP_TOKEN: 'erp-never-used', HTTP_ERP_SERVICES: 'orders',
      HTTP_PUBLIC_BASE_URL: 'http://127.0.0.1:9/public',
    });
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('refuses, with 403 naming the step and the variable, a template naming a connection closed to its service', async () => {
    const awx = await register('shop', { type: 'awx', jobTemplateId: 42 }).expect(403);
    expect([awx.body.code, awx.body.problems]).toEqual(['CONNECTION_NOT_ALLOWED', [
      { path: 'steps', message: 'step job: its handler names AWX connection "default", which is not open to shop (AWX_SERVICES)' },
    ]]);
    const undo = await register('orders-team', { type: 'http', connection: 'public', method: 'POST', path: '/ping' },
      { type: 'http', connection: 'erp', method: 'DELETE', path: '/orders/1' }).expect(403);
    expect(undo.body.problems).toEqual([
      { path: 'steps', message: 'step job: its undo names HTTP connection "erp", which is not open to orders-team (HTTP_ERP_SERVICES)' },
    ]);
    const audit = await t.http.get('/api/orchestration/registrations/audit?serviceName=shop').expect(200);
    expect(audit.body.items.map((i: { outcome: string; reason: string }) => [i.outcome, i.reason.split(':')[0]])).toEqual([['REJECTED', 'CONNECTION_NOT_ALLOWED']]);
  });

  it('registers the same templates for the services listed, and any service on a connection that lists none', async () => {
    await register('ops-team', { type: 'awx', jobTemplateId: 42 }).expect(201);
    await register('orders', { type: 'http', connection: 'erp', method: 'POST', path: '/orders' }).expect(201);
    await register('anyone', { type: 'http', connection: 'public', method: 'POST', path: '/ping' }).expect(201);
  });
});

describe('a template registered before its connection was closed to its service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-connection-closed-'));
  const awx = { AWX_HOST: 'http://127.0.0.1:9', AWX_TOKEN: 'awx-never-used', DATA_DIR: dataDir };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('fails its step at launch, naming the variable, without calling the partner', async () => {
    const before = await startTestApp(awx);
    await before.http.post('/api/orchestration/register').set('X-Service-Name', 'shop').send({
      orchName: 'legacyProvision', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'job', objectType: 'String', handler: { type: 'awx', jobTemplateId: 42 } }],
    }).expect(201);
    await before.close();

    const t = await startTestApp({ ...awx, AWX_SERVICES: 'ops-team' });
    try {
      const { flowId } = (await execute(t, 'legacyProvision').expect(202)).body;
      const run = await waitForRun(t, flowId, 'FAILED', 15_000);
      expect(run.steps.map((s) => [s.stepName, s.status, s.error])).toEqual([
        ['job', 'FAILED', 'the step names AWX connection "default", which is not open to shop (AWX_SERVICES)'],
      ]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
