import { startTestApp } from '../../helpers/test-app';
import { freshDatabase } from '../../helpers/postgres';

/**
 * A wrong password or a database that does not exist is no outage: Baton stops on the first
 * refusal, with PostgreSQL's message, where it retried nine times 3 s apart (27 s, a stack each).
 */
describe('a start refused by PostgreSQL', () => {
  it.each([
    ['a wrong password', (url: URL) => { url.password = 'not-the-password'; }, '28P01'],
    ['a database that does not exist', (url: URL) => { url.pathname = '/no_such_database'; }, '3D000'],
  ])('fails at once for %s', async (_what, spoil, code) => {
    const db = await freshDatabase();
    try {
      const url = new URL(db.url);
      spoil(url);
      const started = Date.now();
      await expect(startTestApp({ DATABASE_URL: url.toString() })).rejects.toMatchObject({ code });
      expect(Date.now() - started).toBeLessThan(3_000 + 20_000); // one retry delay, and a slow machine's start
    } finally {
      await db.drop();
    }
  }, 60_000);
});
