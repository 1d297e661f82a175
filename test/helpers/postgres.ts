import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server suites' PostgreSQL, from scripts/services.sh; fail loudly rather than skip. */
export function serverDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the servers with `eval "$(bash scripts/services.sh up && bash scripts/services.sh env)"`');
  return url;
}

/** Creates an empty database for one suite (a clean schema per suite); returns its URL and a drop function. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = serverDatabaseUrl();
  const name = `baton_t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
