import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { pruneExpiredInstances } from '../../../src/workers/expired-instances';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/** Worker instances (SDK presence) are rows: bounded per service, and removed once their presence expired. */
describe('HTTP workers: live instances a service may have', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WORKER_INSTANCES_PER_SERVICE: '2', WORKER_PRESENCE_TTL_SECONDS: '30' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const beat = (service: string, instanceId: string) => t.http.post(`/api/workers/${service}/presence`)
    .send({ instanceId, host: 'h', sdkVersion: '1.0.0', steps: [{ orchName: 'flow', stepName: 'charge' }] });
  const live = async (service: string) =>
    ((await t.http.get(`/api/workers/${service}/instances`).expect(200)).body.instances as Array<{ instanceId: string }>).map((i) => i.instanceId).sort();

  it('refuses a new instance past WORKER_INSTANCES_PER_SERVICE with 429, keeps the live ones beating, and counts services apart', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await beat('crowd', a).expect(204);
    await beat('crowd', b).expect(204);
    const refused = await beat('crowd', c).expect(429);
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_WORKER_INSTANCES', message: expect.stringContaining('crowd has 2 live worker instances') });
    expect(refused.headers['retry-after']).toBe('30');
    await beat('crowd', a).expect(204);
    await beat('neighbour', randomUUID()).expect(204);
    expect(await live('crowd')).toEqual([a, b].sort());

    await t.http.delete(`/api/workers/crowd/presence/${b}`).expect(204);
    await beat('crowd', c).expect(204);
    expect(await live('crowd')).toEqual([a, c].sort());
  });

  it('lets every live instance beat again when the service is over the bound (two new ones raced for the last place, or the bound was lowered)', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await beat('raced', a).expect(204);
    await beat('raced', b).expect(204);
    // The third, as the losing side of a race would have written it.
    await t.get(DataSource).query(`INSERT INTO worker_instance (instance_id, service_name, host, sdk_version, steps, last_seen_at)
      VALUES ($1, 'raced', 'h', '1.0.0', '[]'::jsonb, now())`, [c]);
    for (const id of [a, b, c]) await beat('raced', id).expect(204);
    await beat('raced', randomUUID()).expect(429);
  });

  it('does not count an expired instance, and the healer removes it', async () => {
    const [gone, fresh, next] = [randomUUID(), randomUUID(), randomUUID()];
    await beat('restarts', gone).expect(204);
    await beat('restarts', fresh).expect(204);
    const ds = t.get(DataSource);
    await ds.query(`UPDATE worker_instance SET last_seen_at = now() - interval '1 hour' WHERE instance_id = $1`, [gone]);
    await beat('restarts', next).expect(204);

    expect(await pruneExpiredInstances(ds, 30, 100)).toBe(1);
    const rows: Array<{ id: string }> = await ds.query(`SELECT instance_id AS id FROM worker_instance WHERE service_name = 'restarts'`);
    expect(rows.map((r) => r.id).sort()).toEqual([fresh, next].sort());
    expect(await pruneExpiredInstances(ds, 30, 100)).toBe(0);
  });
});
