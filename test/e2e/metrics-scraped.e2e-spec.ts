import { DataSource } from 'typeorm';
import { initiatorYaml } from '../helpers/documents';
import { expectEventually } from '../helpers/expect-eventually';
import { execute } from '../helpers/runs';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** A metric line's value, by its name and labels as Prometheus prints them. */
const valueOf = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in the scrape`);
  return Number(line.slice(series.length + 1));
};

/**
 * The gauges an operator alerts on are read at each scrape: set by the loops doing the work, they
 * kept their last values through a database outage, so no alert on them could fire.
 */
describe('gauges read at each scrape', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('say the database and broker are up, count unfinished runs by status, and turn to 0 and NaN once the database is gone', async () => {
    // No worker registers its steps: the run is parked, WAITING_FOR_WORKERS.
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'gauges')
      .send(initiatorYaml('gaugedFlow', 'sequential', ['unworked'])).expect(201);
    await execute(t, 'gaugedFlow').expect(202);

    const up = (await t.http.get('/metrics').expect(200)).text;
    expect([valueOf(up, 'baton_database_up'), valueOf(up, 'baton_broker_connected')]).toEqual([1, 1]);
    expect(valueOf(up, 'baton_outbox_backlog')).toBeGreaterThanOrEqual(0);
    expect(valueOf(up, 'baton_outbox_oldest_unsent_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(up, 'baton_runs_unfinished{status="WAITING_FOR_WORKERS"}')).toBe(1);
    expect(valueOf(up, 'baton_runs_unfinished{status="RUNNING"}')).toBe(0);
    expect(valueOf(up, 'baton_runs_unfinished_oldest_change_age_seconds{status="WAITING_FOR_WORKERS"}')).toBeGreaterThanOrEqual(0);

    await t.get(DataSource).destroy();
    const down = (await t.http.get('/metrics').expect(200)).text;
    expect(valueOf(down, 'baton_database_up')).toBe(0);
    expect(valueOf(down, 'baton_outbox_backlog')).toBeNaN();
    expect(valueOf(down, 'baton_outbox_oldest_unsent_age_seconds')).toBeNaN();
    // The run counts, read at most every 10 s (each read visits every unfinished run), turn NaN once their last read is that old.
    await expectEventually(async () => {
      expect(valueOf((await t.http.get('/metrics').expect(200)).text, 'baton_runs_unfinished{status="WAITING_FOR_WORKERS"}')).toBeNaN();
    }, { timeoutMs: 15_000, intervalMs: 500 });
  }, 60_000);
});
