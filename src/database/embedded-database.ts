import { PGlite } from '@electric-sql/pglite';
import { keepWasmToBaselineCode } from './baseline-wasm-code';
import { lockDataDir } from './data-dir-lock';
import { initDataDir, isInitialised } from './init-data-dir';
import { prepareDataDir } from './prepare-data-dir';

/**
 * The embedded default: PGlite in a directory. PGlite does not lock its directory and two
 * processes on one directory lose committed rows (docs/stack-notes.md, "Embedded default database: PGlite"), so we hold a lock file for the
 * lifetime of the instance (see data-dir-lock.ts).
 */
export class EmbeddedDatabase {
  /** Open in this process: a start that fails inside Nest leaves no app to close them (closeOpenedSince). */
  private static readonly opened = new Set<EmbeddedDatabase>();

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
      keepWasmToBaselineCode();
      const pglite = await PGlite.create(pgdata, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] });
      const db = new EmbeddedDatabase(pglite, release);
      EmbeddedDatabase.opened.add(db);
      return db;
    } catch (e) {
      await release();
      throw e;
    }
  }

  async close(): Promise<void> {
    EmbeddedDatabase.opened.delete(this);
    if (!this.pglite.closed) await this.pglite.close();
    await this.release();
  }

  /** The databases open now, to close later those a failed start opened (closeOpenedSince). */
  static openNow(): ReadonlySet<EmbeddedDatabase> {
    return new Set(EmbeddedDatabase.opened);
  }

  /**
   * Closes the databases opened since `before`: Nest builds no app when a provider fails, so
   * nothing else would, and their data directory's lock stayed held, refreshed, until the process ended.
   */
  static async closeOpenedSince(before: ReadonlySet<EmbeddedDatabase>): Promise<void> {
    for (const db of [...EmbeddedDatabase.opened].filter((d) => !before.has(d))) await db.close().catch(() => undefined);
  }
}
