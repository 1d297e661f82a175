import type { ServerResponse } from 'node:http';

const CHUNK = Buffer.alloc(64 * 1024, 'a');
/** Even an endless answer stops somewhere, so that a client that never hangs up cannot hang the test. */
const BOUND = 64 * 1024 * 1024;

/**
 * Writes an answer without end (a URL pointing at a download, a hostile endpoint) in 64 KiB chunks,
 * until the client hangs up or 64 MiB went out. `wrote` is told each chunk's size, so a test can
 * check how much the client read before it gave up.
 */
export function writeEndlessAnswer(res: ServerResponse, wrote: (bytes: number) => void): void {
  let total = 0;
  const pump = () => {
    while (total < BOUND && !res.destroyed) {
      total += CHUNK.length;
      wrote(CHUNK.length);
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}
