import { PostgresResultStore } from '@baton/worker';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freshDatabase } from '../../helpers/postgres';

/**
 * The SDK's PostgreSQL result store on a real server: it outlives PostgreSQL ending its connections
 * (as a restart does), which used to end the worker process through the pool's unheard 'error'
 * event.
 */
describe('PostgresResultStore on a real PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let admin: Client;
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (_: unknown, message: string) => void warnings.push(message), error: () => undefined };
  const stores: PostgresResultStore[] = [];
  const storeOn = () => {
    const store = new PostgresResultStore({ connectionString: db.url, logger });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    db = await freshDatabase();
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await admin?.end();
    await db?.drop();
  });

  it('keeps working after PostgreSQL terminated its idle connections, and logs it without the password', async () => {
    const store = storeOn();
    await store.put('k1', { output: { n: 1 } });
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    expect(rows.length).toBeGreaterThan(0);
    for (const end = Date.now() + 5_000; warnings.length === 0 && Date.now() < end;) await sleep(50);
    expect(warnings).toEqual([expect.stringContaining('terminating connection due to administrator command')]);
    const password = decodeURIComponent(new URL(db.url).password);
    if (password) expect(warnings.join('\n')).not.toContain(password);
    expect(await store.get('k1')).toEqual({ output: { n: 1 } });
  });
});
