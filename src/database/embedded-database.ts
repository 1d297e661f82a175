import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as lockfile from 'proper-lockfile';

/**
 * The embedded default: PGlite in a directory. PGlite does not lock its directory and two
 * processes on one directory lose committed rows (see NOTES), so we hold a lock file for the
 * lifetime of the instance.
 */
export class EmbeddedDatabase {
  private constructor(
    readonly pglite: PGlite,
    private readonly release: () => Promise<void>,
  ) {}

  static async open(dataDir: string): Promise<EmbeddedDatabase> {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(dir, { lockfilePath: `${dir}/baton.lock`, stale: 15_000, update: 5_000 });
    } catch (e) {
      if ((e as { code?: string }).code === 'ELOCKED') {
        throw new Error(`Data directory ${dir} is in use by another Baton process (lock ${dir}/baton.lock). `
          + 'Stop it, or set DATA_DIR to another directory.');
      }
      throw e;
    }
    try {
      const pglite = await PGlite.create(`${dir}/pgdata`);
      return new EmbeddedDatabase(pglite, release);
    } catch (e) {
      await release();
      throw e;
    }
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
    await this.release();
  }
}
