import { openHandlersDb, HandlersDb } from './support/handlers-db';

describe('job_execution schema', () => {
  let db: HandlersDb;

  beforeAll(async () => {
    db = await openHandlersDb();
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('the migration creates exactly what the entity describes', async () => {
    const { upQueries } = await db.dataSource.driver.createSchemaBuilder().log();
    const ours = upQueries.map((q) => q.query).filter((q) => q.includes('job_execution'));
    if (ours.length) process.stdout.write(`${ours.join('\n')}\n`);
    expect(ours).toEqual([]);
  });
});
