import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock';
import { initDataDir, isInitialised } from './init-data-dir';
import { prepareDataDir } from './prepare-data-dir';

/**
 * The embedded default: PGlite in a directory. PGlite does not lock its directory and two
 * processes on one directory lose committed rows (docs/stack-notes.md, "Embedded default database: PGlite"), so we hold a lock file for the
 * lifetime of the instance (see data-dir-lock.ts).
 */
export class EmbeddedDatabase {
  private constructor(
    readonly pglite: PGlite,
    private readonly release: () => Promise<void>,
  ) {}

  /**
   * `sharedBuffers` is PostgreSQL's shared_buffers: PGlite touches all of it at start, and its
   * default (128MB) made up a third of Baton's memory; the embedded default's data fits in far less.
   */
  static async open(dataDir: string, sharedBuffers = '8MB'): Promise<EmbeddedDatabase> {
    const dir = prepareDataDir(dataDir);
    const release = await lockDataDir(dir);
    try {
      const pgdata = `${dir}/pgdata`;
      if (!isInitialised(pgdata)) await initDataDir(pgdata);
      const pglite = await PGlite.create(pgdata, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] });
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
