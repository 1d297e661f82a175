import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as lockfile from 'proper-lockfile';

/** Who holds the lock, written next to it once taken. `token` tells two holders with the same PID apart. */
interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

export class DataDirInUseError extends Error {
  constructor(readonly dir: string, readonly lockPath: string) {
    super(`Data directory ${dir} is in use by another Baton process (lock ${lockPath}). `
      + 'Stop it, or set DATA_DIR to another directory.');
  }
}

// proper-lockfile's mtime check alone leaves a killed owner's lock standing for `stale` ms (a restart
// right after kill -9 was refused for 11-17 s). The owner's PID settles it at once on the same host;
// the mtime check stays as the fallback for a directory shared across hosts. A short `stale` is no
// alternative: PGlite blocks the event loop for seconds (initdb), which would let a live lock go stale.
const STALE_MS = 15_000;
const UPDATE_MS = 5_000;
/** Tokens of the locks this process holds: our own PID in an owner file is alive only if we hold it. */
const heldHere = new Set<string>();

/**
 * Locks `dir` for this process. A lock whose owner process is gone (same host) is taken over at
 * once; a live owner's lock is refused with DataDirInUseError. Resolves to the release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = `${dir}/baton.lock`;
  const ownerPath = `${lockPath}.owner`;
  const take = () => lockfile.lock(dir, { lockfilePath: lockPath, stale: STALE_MS, update: UPDATE_MS });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (e) {
    if ((e as { code?: string }).code !== 'ELOCKED') throw e;
    const owner = readOwner(ownerPath);
    if (!owner || isAlive(owner)) throw new DataDirInUseError(dir, lockPath);
    // Dead owner. Clear its lock only if the owner file is still the one we judged, so a process
    // that took over the lock meanwhile keeps it; of two racing starters, mkdir lets one win.
    if (readOwner(ownerPath)?.token !== owner.token) throw new DataDirInUseError(dir, lockPath);
    rmSync(lockPath, { recursive: true, force: true });
    try {
      release = await take();
    } catch (retry) {
      if ((retry as { code?: string }).code === 'ELOCKED') throw new DataDirInUseError(dir, lockPath);
      throw retry;
    }
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), token: randomUUID() };
  writeFileSync(ownerPath, JSON.stringify(me));
  heldHere.add(me.token);
  return async () => {
    heldHere.delete(me.token);
    if (readOwner(ownerPath)?.token === me.token) unlinkSync(ownerPath);
    await release();
  };
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string' || typeof owner.token !== 'string') return undefined;
    return owner as LockOwner;
  } catch {
    return undefined; // missing or half-written: fall back to the mtime check
  }
}

/**
 * Whether the owner may still hold the lock. Another host's PID means nothing here. Our own PID
 * with a token this process does not hold means a previous holder of this PID died (a container
 * restarts its entry point as PID 1 again); with one it holds, the lock is taken here (a CLI run
 * inside a process that already opened the database).
 */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return heldHere.has(owner.token);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'; // exists, owned by another user
  }
}
