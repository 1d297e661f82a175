import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[\w.:-]{1,128}$/;

/** Takes the caller's correlation id when it is sane, else makes one; echoes it on the response. */
export function correlationIdFor(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Correlation-ID', id);
  return id;
}

export function correlationIdOf(req: unknown): string {
  return String((req as { id?: unknown }).id ?? '');
}
