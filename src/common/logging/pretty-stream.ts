import type { DestinationStream } from 'pino';

/**
 * pino-pretty in this process, writing synchronously: a transport would start a worker thread
 * (more memory, and lines lost on a crash). Loaded only when chosen, so JSON logging never pays
 * for it.
 */
export function prettyStream(): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty.build({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,context', messageFormat: '[{context}] {msg}' });
}
