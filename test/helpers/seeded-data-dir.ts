import 'reflect-metadata';
import { PGlite } from '@electric-sql/pglite';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/load-config';
import { dataSourceOptions } from '../../src/database/data-source-options';

/*
 * A fresh PGlite directory costs an initdb (2 s on a quiet machine, 10-20 s on a loaded one); a
 * copy of one already initialised and migrated boots in under a second. The migrated directory is
 * made once and kept in the temp directory under a key made of the PGlite version and the
 * migrations' text, so a changed migration gets a new one. The app still runs pending migrations
 * at boot, so a copy behaves exactly like a new DATA_DIR.
 */

const ROOT = join(__dirname, '..', '..');
const PREFIX = 'baton-seed-';

function seedKey(): string {
  const hash = createHash('sha256');
  hash.update(JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version);
  const dir = join(ROOT, 'migrations');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return hash.digest('hex').slice(0, 16);
}

async function buildSeed(target: string): Promise<void> {
  const building = `${target}.building-${randomBytes(4).toString('hex')}`;
  mkdirSync(building, { recursive: true });
  try {
    const pglite = await PGlite.create(join(building, 'pgdata'));
    try {
      const dataSource = new DataSource({ ...dataSourceOptions(loadConfig({ MIGRATIONS_RUN: 'true' }), pglite), logging: false });
      await dataSource.initialize();
      await dataSource.destroy();
    } finally {
      await pglite.close();
    }
    try {
      renameSync(building, target);
    } catch (e) {
      // Another Jest worker finished first: its seed is as good as ours.
      if (!existsSync(target)) throw e;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

let seed: Promise<string> | undefined;

function seedDir(): Promise<string> {
  seed ??= (async () => {
    const target = join(tmpdir(), `${PREFIX}${seedKey()}`);
    if (!existsSync(target)) {
      // Seeds of older migrations are of no further use.
      for (const old of readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX) && !n.includes('.building-') && n !== basename(target))) {
        rmSync(join(tmpdir(), old), { recursive: true, force: true });
      }
      await buildSeed(target);
    }
    return target;
  })();
  return seed;
}

/** Puts a migrated embedded database into `dir` (made if missing, else expected empty). */
export async function seedInto(dir: string): Promise<void> {
  cpSync(await seedDir(), dir, { recursive: true, filter: (src) => basename(src) !== 'baton.lock' });
}

/** A new data directory holding a migrated embedded database; the caller removes it. */
export async function seededDataDir(): Promise<string> {
  const dir = join(tmpdir(), `baton-e2e-${randomBytes(6).toString('hex')}`);
  await seedInto(dir);
  return dir;
}
