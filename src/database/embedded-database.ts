import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock';

/**
 * The embedded default: PGlite in a directory. PGlite does not lock its directory and two
 * processes on one directory lose committed rows (see NOTES), so we hold a lock file for the
 * lifetime of the instance (see data-dir-lock.ts).
 */
export class EmbeddedDatabase {
  private constructor(
    readonly pglite: PGlite,
    private readonly release: () => Promise<void>,
  ) {}

  static async open(dataDir: string): Promise<EmbeddedDatabase> {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    const release = await lockDataDir(dir);
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
