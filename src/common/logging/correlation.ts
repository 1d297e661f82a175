import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * Takes the caller's correlation id when it is sane, else makes one; echoes it on the response.
 * Runs first, before body parsing, so that errors the parsers raise carry it too; the logger's
 * later call finds it already set.
 */
export function correlationIdFor(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Correlation-ID', id);
  return id;
}

export function correlationIdOf(req: unknown): string {
  return String((req as { id?: unknown }).id ?? '');
}

/** Express middleware: the correlation id, set before anything else can fail the request. */
export function correlate(req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void): void {
  req.id = correlationIdFor(req, res);
  next();
}
