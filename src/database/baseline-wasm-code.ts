import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8 to its baseline (Liftoff) code for the WebAssembly compiled from now on: PGlite's
 * PostgreSQL. Left to tier up, V8 recompiles PostgreSQL's hot functions with TurboFan on background
 * threads, and glibc keeps what those compilations allocated in its per-thread arenas: about 80 MB
 * of a healthy embedded Baton's 290 MB, for no throughput we could measure (demo executes per
 * second and a PGlite insert/update loop within noise, 2026-12-07). Set here rather than on node's
 * command line so that `node dist/src/main.js`, `npm start` and the image all get it, and a Baton
 * on a PostgreSQL server, which compiles no PostgreSQL, is left alone.
 */
export function keepWasmToBaselineCode(): void {
  setFlagsFromString('--liftoff-only');
}
