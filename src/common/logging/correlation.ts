import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
/** A correlation id taken from a caller: it goes into a varchar(128) column and every log line. */
export const SAFE_CORRELATION_ID = /^[\w.:-]{1,128}$/;

export function correlationIdOf(req: unknown): string {
  return String((req as { id?: unknown }).id ?? '');
}

/** `@CorrelationId() correlationId: string` in a controller method: for the lines a service logs about the request. */
export const CorrelationId = createParamDecorator((_data: unknown, ctx: ExecutionContext) => correlationIdOf(ctx.switchToHttp().getRequest()));

/**
 * Express middleware, first of all: takes the caller's correlation id when it is sane, else makes
 * one, and echoes it on the response, before anything else (a parser, a guard) can fail the request.
 */
export function correlate(req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void): void {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && SAFE_CORRELATION_ID.test(given) ? given : randomUUID();
  req.id = id;
  res.setHeader('X-Correlation-ID', id);
  next();
}
