import { UPDATE_RUN } from '../../src/engine/run.repository';
import { EmbeddedDatabase, openEmbeddedDatabase } from '../helpers/embedded-database';

/** Columns that indexes may use: they change only with the run's status, and a status change is never HOT anyway. */
const WRITTEN_ON_STATUS_CHANGE = ['status', 'finished_at'];

/**
 * The columns a step's transition may write while its run stays in the same status: the SET list
 * of the engine's own statement, for a check without a server. On PostgreSQL,
 * `test/integration/postgres/hot-run-updates.int-spec.ts` measures the outcome itself.
 */
function writtenPerStep(): string[] {
  const set = /\bSET\b([\s\S]*)\bWHERE flow_id\b/.exec(UPDATE_RUN)![1];
  const columns = [...set.matchAll(/(?:^|,)\s*(\w+)\s*=/g)].map((m) => m[1]);
  return columns.filter((column) => !WRITTEN_ON_STATUS_CHANGE.includes(column));
}

describe('database schema', () => {
  let db: EmbeddedDatabase;

  beforeAll(async () => {
    db = await openEmbeddedDatabase();
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('the migrations create exactly what the entities describe', async () => {
    // What TypeORM would change to make the database match the entities: nothing.
    const { upQueries } = await db.dataSource.driver.createSchemaBuilder().log();
    expect(upQueries.map((q) => q.query)).toEqual([]);
  });

  it("indexes no column a step's transition changes, so PostgreSQL can update the run in place (HOT)", async () => {
    const indexed: Array<{ name: string; def: string }> = await db.dataSource.query(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'orchestration_run'`);
    expect(indexed.length).toBeGreaterThanOrEqual(8);
    const perStep = writtenPerStep();
    // The SET list was read right: run columns, the version and update time among them.
    const columns: Array<{ name: string }> = await db.dataSource.query(
      `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'orchestration_run'`);
    expect(columns.map((c) => c.name)).toEqual(expect.arrayContaining(perStep));
    expect(perStep).toEqual(expect.arrayContaining(['version', 'updated_at', 'template_version']));
    for (const { name, def } of indexed) {
      for (const column of perStep) expect({ name, uses: def.includes(column) ? column : null }).toEqual({ name, uses: null });
    }
    const [{ options }] = await db.dataSource.query(`SELECT reloptions AS options FROM pg_class WHERE relname = 'orchestration_run'`);
    expect(options).toContain('fillfactor=80');
  });
});
