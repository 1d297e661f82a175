import { EmbeddedDatabase, openEmbeddedDatabase } from '../helpers/embedded-database';

/**
 * The columns a step's transition writes while its run stays in the same status: a copy, kept by
 * hand, of RunRepository.update's SET list, for a check without a server. On PostgreSQL,
 * `test/integration/postgres/hot-run-updates.int-spec.ts` measures the outcome itself.
 */
const WRITTEN_PER_STEP = ['version', 'updated_at', 'failed_step', 'error', 'expires_at', 'template_version'];

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
    for (const { name, def } of indexed) {
      for (const column of WRITTEN_PER_STEP) expect({ name, uses: def.includes(column) ? column : null }).toEqual({ name, uses: null });
    }
    const [{ options }] = await db.dataSource.query(`SELECT reloptions AS options FROM pg_class WHERE relname = 'orchestration_run'`);
    expect(options).toContain('fillfactor=80');
  });
});
