import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { holdsApiKey, holdsJwt } from '../../auth/api-keys/api-key-format';
import { headerOf } from '../../auth/message-signing/message-signature';

export const CORRELATION_HEADER = 'x-correlation-id';
/** A correlation id taken from a caller: it goes into a varchar(128) column and every log line. */
const SAFE_CORRELATION_ID = /^[\w.:-]{1,128}$/;

/**
 * Whether a caller's correlation id is taken as given. One holding a whole API key or a JWT (a
 * credential pasted into the wrong header) is not: it would be echoed, logged, stored on the run
 * and sent to workers.
 */
export function isSaneCorrelationId(given: string | undefined): given is string {
  return given !== undefined && SAFE_CORRELATION_ID.test(given) && !holdsApiKey(given) && !holdsJwt(given);
}

/**
 * A message publisher's `x-correlation-id` (in any letter case: Kafka keeps header names as
 * produced), when it is sane; like the HTTP middleware, the caller generates one for anything else.
 */
export function messageCorrelationId(headers: Record<string, string>): string | undefined {
  const given = headerOf(headers, CORRELATION_HEADER);
  return isSaneCorrelationId(given) ? given : undefined;
}

export function correlationIdOf(req: unknown): string {
  return String((req as { id?: unknown }).id ?? '');
}

/** `@CorrelationId() correlationId: string` in a controller method: for the lines a service logs about the request. */
export const CorrelationId = createParamDecorator((_data: unknown, ctx: ExecutionContext) => correlationIdOf(ctx.switchToHttp().getRequest()));

/**
 * A request's correlation id, before anything else (a parser, a guard) can fail the request: the
 * caller's when it is sane, else a new one. Fastify makes it the request's id; it is kept on the
 * Node request too, for the request log, which sees only that.
 */
export function correlationIdFor(req: IncomingMessage & { id?: unknown }): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && isSaneCorrelationId(given) ? given : randomUUID();
  req.id = id;
  return id;
}

/** Echoes the correlation id on the answer, on the Node response so that every answer, errors too, carries it. */
export function echoCorrelationId(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  reply.raw.setHeader('X-Correlation-ID', request.id);
  done();
}
