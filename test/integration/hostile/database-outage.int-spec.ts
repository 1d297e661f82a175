import { workerJson } from '../../helpers/documents';
import { freshDatabase } from '../../helpers/postgres';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../../helpers/test-app';

/**
 * A real PostgreSQL outage as Baton sees it: its connections go through a proxy that is cut
 * (connections reset, then refused). Every request answers 503 with Retry-After, never 500,
 * and the app serves again once the database is back.
 */
describe('HTTP during a PostgreSQL outage', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    const url = new URL(db.url);
    proxy = await new TcpProxy(url.hostname, Number(url.port || 5432)).start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    t = await startTestApp({ DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '2', HEALER_INTERVAL_MS: '600000' });
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'svc').send(workerJson('t', ['a'])).expect(201);
    await proxy.cut();
  });
  afterAll(async () => {
    await proxy.restore();
    await t.close();
    await proxy.cut();
    await drop();
  });

  it.each([
    ['a list', () => t.http.get('/api/orchestration/runs')],
    ['a run', () => t.http.get('/api/orchestration/runs/00000000-0000-4000-8000-000000000000')],
    ['a registration (its audit cannot be written either)', () => t.http.post('/api/orchestration/register')
      .set('X-Service-Name', 'svc').send(workerJson('t2', ['a']))],
    ['a rejected registration', () => t.http.post('/api/orchestration/register').set('X-Service-Name', 'svc').send({ as: 'nobody' })],
    ['an execute', () => t.http.post('/api/orchestration/execute/anything').send({ a: 1 })],
    ['an undo', () => t.http.post('/api/orchestration/undo/00000000-0000-4000-8000-000000000000')],
  ])('answers %s with 503 SERVICE_UNAVAILABLE and Retry-After', async (_what, send) => {
    const res = await send();
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', correlationId: res.headers['x-correlation-id'] });
  });

  it('serves again once the database is back', async () => {
    await proxy.restore();
    await t.http.get('/api/orchestration/workers').expect(200);
  });
});
