import fs from 'node:fs';

/**
 * Captures what the process writes to stdout and stderr: pino writes to fd 1 through sonic-boom
 * (fs.write*), Nest through process.stdout. Every other descriptor (PGlite's files) is written as
 * usual. Undo with jest.restoreAllMocks().
 */
export function captureOutput(): { text(): string; lines(): string[] } {
  const written: string[] = [];
  const capture = (chunk: unknown) => { written.push(Buffer.isBuffer(chunk) ? chunk.toString() : String(chunk)); };
  const { writeSync, write } = fs;
  jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, chunk: unknown, ...rest: unknown[]) => {
    if (fd !== 1 && fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, chunk, ...rest);
    capture(chunk);
    return Buffer.byteLength(chunk as string);
  }) as typeof fs.writeSync);
  jest.spyOn(fs, 'write').mockImplementation(((fd: number, chunk: unknown, ...rest: unknown[]) => {
    if (fd !== 1 && fd !== 2) return (write as (...a: unknown[]) => void)(fd, chunk, ...rest);
    capture(chunk);
    const cb = rest.find((r) => typeof r === 'function') as ((e: null, n: number) => void) | undefined;
    cb?.(null, Buffer.byteLength(chunk as string));
  }) as unknown as typeof fs.write);
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => { capture(chunk); return true; });
  const text = () => written.join('');
  return { text, lines: () => text().split('\n').filter(Boolean) };
}
