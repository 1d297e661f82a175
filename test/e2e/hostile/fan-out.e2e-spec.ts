import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A parallel template starts every step at once, each command carrying the run's payload: one
 * start of a wide template built and wrote hundreds of MB (a hostile probe's 4,000 steps × 100 KB
 * ended in a 500, the string too long to build; 1,000 × 250 KB exhausted the database's memory).
 * What one change writes to the outbox is bounded in all (OUTBOX_WRITE_MAX_BYTES), before any of it
 * is encoded, and the start refused with a 413.
 */
describe('a run whose start fans its payload out past OUTBOX_WRITE_MAX_BYTES', () => {
  const WRITE_MAX = 2 * 1024 * 1024;
  let t: TestApp;

  beforeAll(async () => {
    // Never below MESSAGE_MAX_BYTES (16 MiB in-process by default): lowered with it.
    t = await startTestApp({ OUTBOX_WRITE_MAX_BYTES: String(WRITE_MAX), MESSAGE_MAX_BYTES: String(WRITE_MAX / 2) });
    const steps = Array.from({ length: 60 }, (_, i) => ({ name: `part${i}`, objectType: 'String' }));
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'fan-initiator')
      .send({ orchName: 'fanOut', as: 'initiator', type: 'parallel', steps: steps.map((s) => ({ ...s, seq: 1 })) }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'fan-service')
      .send({ orchName: 'fanOut', as: 'worker', steps }).expect(201);
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('is refused with a 413 naming the limit, and nothing of it is written', async () => {
    const payload = { blob: 'x'.repeat(50 * 1024) }; // 60 commands and the status event: about 3 MB in all
    const res = await t.http.post('/api/orchestration/execute/fanOut').send(payload);
    expect([res.status, res.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(res.body.message).toMatch(/^The 61 messages this change would write are \d+ bytes in all, over 2097152 \(OUTBOX_WRITE_MAX_BYTES\)/);
    const db = t.get(DataSource);
    expect(await db.query(`SELECT count(*)::int AS n FROM orchestration_run WHERE orch_name = 'fanOut'`)).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'orchestrator.commands.fan-service'`)).toEqual([{ n: 0 }]);
  });

  it('starts the same run with a payload whose commands fit', async () => {
    await t.http.post('/api/orchestration/execute/fanOut').send({ blob: 'x'.repeat(20 * 1024) }).expect(202);
  });
});
