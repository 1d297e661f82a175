import { inspect, types } from 'node:util';

/** The SDK logs through this; pass your own (pino, winston: anything with these methods). */
export interface WorkerLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The default: one JSON line per warning or error on stderr; info is dropped. */
export const stderrLogger: WorkerLogger = {
  info: () => undefined,
  warn: (fields, message) => write('warn', fields, message),
  error: (fields, message) => write('error', fields, message),
};

function write(level: string, fields: Record<string, unknown>, message: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), name: '@baton/worker', ...fields, msg: message })}\n`);
}

/**
 * Anything that is thrown is printed by node's inspect, not String(): `{code: 42}` would read
 * "[object Object]" (and a null-prototype object would throw). Bounded in depth and length, as a
 * thrown value may be large or circular, and goes into log lines and a reply's error.
 */
const THROWN = { depth: 2, maxArrayLength: 10, maxStringLength: 1000, breakLength: Number.POSITIVE_INFINITY } as const;
const THROWN_MAX_LENGTH = 2000;

/** Whether `value` is an Error, of this realm or another (node's own errors are not instances of a test VM's Error). */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** The text of what was thrown: an Error's message, a string as it is, anything else as node prints it. */
export function errorText(error: unknown): string {
  if (isError(error)) return error.message;
  if (typeof error === 'string') return error;
  try {
    return inspect(error, THROWN).slice(0, THROWN_MAX_LENGTH);
  } catch {
    return `a ${typeof error} that cannot be printed`;
  }
}
