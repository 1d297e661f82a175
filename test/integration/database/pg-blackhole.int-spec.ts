import 'reflect-metadata'; // loadConfig converts numbers by the settings' design types
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { isInfrastructureError } from '../../../src/common/errors/infrastructure-error';
import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { runPipeline } from '../../../src/database/run-pipeline';
import { BlackholeProxy } from '../../helpers/blackhole-proxy';
import { serverDatabaseUrl } from '../../helpers/postgres';

const STATEMENT_TIMEOUT_MS = 500;
/** replyTimeoutMs(500): the client gives up 1 s after the server would have. */
const CLIENT_BOUND_MS = 1_500;
/** What the test waits before it calls a statement hung (without the bound, it waits for ever). */
const HUNG_MS = 8_000;

const hung = () => new Promise((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${HUNG_MS} ms: hung`)), HUNG_MS).unref());
const outcome = (work: Promise<unknown>) => Promise.race([work, hung()]).then(() => 'answered', (error: unknown) => error);

describe('PostgreSQL behind a path that silently drops packets', () => {
  let proxy: BlackholeProxy;
  let ds: DataSource;

  beforeAll(async () => {
    const url = new URL(serverDatabaseUrl());
    proxy = await new BlackholeProxy(url.hostname, Number(url.port || 5432)).start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    // Read-only: no migrations, only SELECTs on the shared server's database.
    const config = loadConfig({
      DATABASE_URL: url.toString(), MIGRATIONS_RUN: 'false', DATABASE_POOL_SIZE: '2', DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    ds = new DataSource(dataSourceOptions(config));
    await ds.initialize();
  });

  afterAll(async () => {
    proxy.forward();
    if (ds?.isInitialized) await ds.destroy();
    await proxy?.stop();
  });

  it('lets the server cancel a slow statement first (57014), on a connection that stays usable', async () => {
    await expect(ds.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ driverError: { code: '57014' } });
    await expect(ds.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('fails a statement that gets no answer within the bound as an outage, then drops its connection and serves again once the path is back', async () => {
    await expect(ds.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    proxy.blackhole();

    const started = Date.now();
    const error = await outcome(ds.query('SELECT 1 AS one'));
    const took = Date.now() - started;
    expect(error).toMatchObject({ driverError: { code: 'ETIMEDOUT' } });
    expect(isInfrastructureError(error)).toBe(true);
    expect(took).toBeGreaterThanOrEqual(CLIENT_BOUND_MS - 50);
    expect(took).toBeLessThan(CLIENT_BOUND_MS + 2_000);

    // A transaction's statements are bounded the same way, and the transaction fails as an outage.
    const inTransaction = await outcome(ds.transaction((m) => m.query('SELECT 1 AS one')));
    expect(isInfrastructureError(inTransaction)).toBe(true);

    // Transition writes take a pool client of their own (group commit's pipeline).
    const pool = (ds.driver as unknown as { master: Pool }).master;
    const pipelined = await outcome(runPipeline(pool, [{ name: 'blackhole_probe', text: 'SELECT true AS written', values: [] }]));
    expect(isInfrastructureError(pipelined)).toBe(true);

    proxy.forward();
    // The hung connections were dropped, not pooled again: the next statements get fresh ones at once.
    const back = Date.now();
    await expect(ds.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    await expect(runPipeline(pool, [{ name: 'blackhole_probe', text: 'SELECT true AS written', values: [] }])).resolves.toEqual([{ written: true }]);
    expect(Date.now() - back).toBeLessThan(CLIENT_BOUND_MS);
  });
});
