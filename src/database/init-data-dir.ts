import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/*
 * PGlite runs initdb inside the process that opens a new directory, and WebAssembly memory never
 * shrinks: a Baton that initialised its own directory stayed at 850-920 MB RSS for good, against
 * about 400 MB when it reopened one. A short-lived child does the initdb instead, and its memory
 * goes back to the system when it exits. The child gets PGlite's resolved path, so it loads the
 * same copy from dist/ or from the test runner alike.
 */
const INIT = 'require(process.argv[1]).PGlite.create(process.argv[2]).then((db) => db.close())';

export function isInitialised(pgdata: string): boolean {
  return existsSync(`${pgdata}/PG_VERSION`);
}

/** Creates a PGlite data directory in a child process; rejects with the child's error output. */
export async function initDataDir(pgdata: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, ['-e', INIT, require.resolve('@electric-sql/pglite'), pgdata]);
  } catch (e) {
    const { stderr } = e as { stderr?: string };
    throw new Error(`Could not initialise the embedded database in ${pgdata}: ${stderr?.trim() || (e as Error).message}`);
  }
}
