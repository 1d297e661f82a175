import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/load-config';

/**
 * The data directory, created if missing; a path that cannot be one (a file, a read-only place, a
 * pseudo file system such as /proc) is a ConfigError naming DATA_DIR, which Baton reports in one
 * line before anything else starts.
 */
export function prepareDataDir(dataDir: string): string {
  const dir = resolve(dataDir);
  const why = problemMaking(dir);
  if (why) throw new ConfigError(`DATA_DIR ${dir} ${why}: set DATA_DIR to a directory Baton may write, or DATABASE_URL`);
  return dir;
}

function problemMaking(dir: string): string | undefined {
  try {
    makeDirectory(dir);
    if (!statSync(dir).isDirectory()) return NOT_A_DIRECTORY;
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') return NOT_A_DIRECTORY;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM' || code === 'ENOENT') return 'cannot be created or written here';
    return `cannot be made (${code ?? (e as Error).message})`;
  }
}

const NOT_A_DIRECTORY = 'is not a directory (or lies under a file)';

/**
 * mkdir -p one level at a time. Node 20's recursive mkdir never returns under /proc: the kernel
 * answers ENOENT for a directory whose parent exists, and Node retries the parent for ever. A
 * level another process made meanwhile (Baton and the keys CLI starting at once) is taken as made.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory()) throw e;
    }
  }
}
