import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';

// A stand-in build, so this suite needs no `npm run build` (test/browser drives the real one).
function fakeConsoleBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Baton console</title><div id="app"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'export {};');
  return dir;
}

describe('the console at /ui, and the API it reads (run filters, run stats)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DEFINITIONS_DIR: join(__dirname, '../../definitions'), DEMO_WORKER: 'true', CONSOLE_DIR: fakeConsoleBuild() });
  }, 120_000);
  afterAll(() => t?.close());

  it('answers every page under /ui with the app, so deep links load, with a strict CSP and no caching of the page', async () => {
    for (const path of ['/ui', '/ui/', '/ui/runs/3f7a1f4e-0000-4000-8000-000000000000', '/ui/templates/demoOrder', '/ui/audit?outcome=REJECTED']) {
      const res = await t.http.get(path).expect(200);
      expect(res.text).toContain('<title>Baton console</title>');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('leads the bare address, which the start line names, to the console', async () => {
    const res = await t.http.get('/').expect(302);
    expect(res.headers.location).toBe('/ui/');
    // Other methods as on every known path: 405 with Allow.
    expect((await t.http.post('/').expect(405)).headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('serves hashed assets for good, and a missing asset as a 404 rather than the app', async () => {
    const asset = await t.http.get('/ui/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers.etag).toBeDefined(); // the API's answers have none; static files keep theirs
    for (const path of ['/ui/assets/index-gone.js', '/ui/assets', '/ui/assets/', '/ui/assets?x=1']) {
      const missing = await t.http.get(path);
      expect([path, missing.status, missing.text.includes('Baton console')]).toEqual([path, 404, false]);
    }
    // A path that climbs out of the assets is refused by name before any route sees it, never served.
    for (const path of ['/ui/assets/../../package.json', '/ui/assets/%2e%2e/%2E%2E/package.json']) {
      const outside = await t.http.get(path);
      expect([path, outside.status, outside.body.code, outside.body.problems?.[0]?.path]).toEqual([path, 400, 'INVALID_REQUEST', 'path']);
    }
    const range = await t.http.get('/ui/assets/index-abc123.js').set('Range', 'bytes=500-600').expect(416);
    expect([range.body.code, range.headers['content-range']]).toEqual(['RANGE_NOT_SATISFIABLE', 'bytes */10']);
  });

  it('answers other methods as the API does: 405 with Allow (no page for POST /ui)', async () => {
    const res = await t.http.post('/ui/runs').send({});
    expect([res.status, res.headers.allow, res.body.code]).toEqual([405, 'GET, HEAD, OPTIONS', 'METHOD_NOT_ALLOWED']);
    expect(res.text).not.toContain('<html');
  });

  it('filters runs by correlation id and by idempotency key, and refuses NUL and oversized values', async () => {
    const a = await execute(t, 'demoOrder', { orderId: 1 }, { 'X-Correlation-ID': 'console-corr-a', 'Idempotency-Key': 'console-key-a' }).expect(202);
    const b = await execute(t, 'demoOrder', { orderId: 2 }, { 'X-Correlation-ID': 'console-corr-b', 'Idempotency-Key': 'console-key-b' }).expect(202);
    await Promise.all([waitForRun(t, a.body.flowId), waitForRun(t, b.body.flowId)]);
    const byCorrelation = await t.http.get('/api/orchestration/runs?correlationId=console-corr-b').expect(200);
    expect(byCorrelation.body.items.map((r: { flowId: string }) => r.flowId)).toEqual([b.body.flowId]);
    const byKey = await t.http.get('/api/orchestration/runs?idempotencyKey=console-key-a').expect(200);
    expect(byKey.body.items.map((r: { flowId: string }) => r.flowId)).toEqual([a.body.flowId]);
    expect(byKey.body.total).toBe(1);
    await t.http.get('/api/orchestration/runs?correlationId=x%00y').expect(400);
    await t.http.get(`/api/orchestration/runs?idempotencyKey=${'k'.repeat(256)}`).expect(400);
  });

  it('lists runs newest or oldest first, runs created in one instant in a stable order, and `to` exclusive with `from` too', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await execute(t, 'demoOrder', { orderId: 10 + i }).expect(202)).body.flowId);
    await Promise.all(ids.map((id) => waitForRun(t, id)));
    // Far from the other suites' runs: the first at 2001-01-01 00:00:00, the other five one millisecond later, together
    // (five, so that their order on disk matching their flowIds' by chance, 1 in 120, cannot pass for the tie-break).
    const db = t.get(DataSource);
    await db.query(`UPDATE orchestration_run SET created_at = '2001-01-01T00:00:00Z' WHERE flow_id = $1`, [ids[0]]);
    await db.query(`UPDATE orchestration_run SET created_at = '2001-01-01T00:00:00.001Z' WHERE flow_id = ANY($1)`, [ids.slice(1)]);
    const list = async (q: string) => (await t.http.get(`/api/orchestration/runs?from=2001-01-01T00:00:00Z&${q}`).expect(200)).body.items
      .map((r: { flowId: string }) => r.flowId);
    const together = [...ids.slice(1)].sort();
    expect(await list('to=2001-01-01T00:00:01Z&order=oldest')).toEqual([ids[0], ...together]);
    expect(await list('to=2001-01-01T00:00:01Z')).toEqual([...[...together].reverse(), ids[0]]);
    expect(await list('to=2001-01-01T00:00:00.001Z')).toEqual([ids[0]]);
    const pages: string[][] = [];
    for (let page = 1; page <= 6; page++) pages.push(await list(`to=2001-01-01T00:00:01Z&order=oldest&pageSize=2&page=${page}`));
    expect(pages.flat()).toEqual([ids[0], ...together]);
    expect((await t.http.get('/api/orchestration/runs?order=sideways').expect(400)).body.problems[0].path).toBe('query.order');
    await db.query('UPDATE orchestration_run SET created_at = now() WHERE flow_id = ANY($1)', [ids]); // back in the stats' window below
  });

  it('counts runs created per bucket by status and runs finished per bucket', async () => {
    const failed = await execute(t, 'demoOrder', { failAt: 'shipOrder' }).expect(202);
    await waitForRun(t, failed.body.flowId, 'FAILED');
    const res = await t.http.get('/api/orchestration/stats/runs?minutes=10&buckets=5').expect(200);
    expect(res.body.bucketSeconds).toBe(120);
    expect(res.body.buckets).toHaveLength(5);
    const list = await t.http.get('/api/orchestration/runs?pageSize=200').expect(200);
    const expected: Record<string, number> = {};
    for (const r of list.body.items as { status: string }[]) expected[r.status] = (expected[r.status] ?? 0) + 1;
    expect(res.body.totals).toEqual(expected);
    expect(res.body.totals.FAILED).toBeGreaterThanOrEqual(1);
    const finished = res.body.buckets.reduce((n: number, b: { finished: number }) => n + b.finished, 0);
    expect(finished).toBe(list.body.items.filter((r: { finishedAt: string | null }) => r.finishedAt).length);
    // The newest bucket holds what just happened.
    expect(Object.keys(res.body.buckets[4].created)).toContain('FAILED');
  });

  it('has the indexes those reads use', async () => {
    const indexes = await t.get(DataSource).query(`SELECT indexname FROM pg_indexes WHERE tablename = 'orchestration_run'`);
    expect(indexes.map((i: { indexname: string }) => i.indexname))
      .toEqual(expect.arrayContaining(['idx_run_created', 'idx_run_finished', 'idx_run_correlation', 'idx_run_idempotency_key']));
  });

  it('bounds the stats window', async () => {
    await t.http.get('/api/orchestration/stats/runs?minutes=1').expect(400);
    await t.http.get('/api/orchestration/stats/runs?minutes=20000').expect(400);
    await t.http.get('/api/orchestration/stats/runs?buckets=0').expect(400);
    await t.http.get('/api/orchestration/stats/runs?buckets=abc').expect(400);
  });
});

describe('the console without a build', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CONSOLE_DIR: join(tmpdir(), 'baton-no-console-build') });
  }, 120_000);
  afterAll(() => t?.close());

  it('says how to build it instead of failing', async () => {
    const res = await t.http.get('/ui/runs').expect(503);
    expect(res.text).toContain('npm run build');
  });
});
