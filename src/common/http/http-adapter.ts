import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { stampSecurityHeaders } from '../../auth/http/security-headers';
import type { AppConfig } from '../../config/app-config';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { correlationIdFor, echoCorrelationId } from '../logging/correlation';
import { requestGuard } from '../validation/request-guard';

/** Node's own limit on a whole request, which Fastify would otherwise lift (it sets 0). */
const REQUEST_TIMEOUT_MS = 300_000;
/**
 * Longest path parameter the router takes: longer than any request line Node accepts (16 KiB of
 * headers), so that a long one reaches its route, whose validation names it (find-my-way's 100 is
 * less than a lease id).
 */
const MAX_PARAM_LENGTH = 16 * 1024;

/**
 * Baton's HTTP server: Fastify, which costs a third of Express's CPU per request (test/bench/README.md,
 * Round eighteen). The correlation id is Fastify's request id, taken from the caller when sane.
 */
export function httpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.trustProxy,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    genReqId: correlationIdFor,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    frameworkErrors: refuseUnroutable,
  });
}

const ERRORS = new HttpErrorFilter();

/**
 * A path the router cannot decode is refused before any hook runs: its answer gets the headers
 * every answer has here, and the problems the request guard names, through the one error filter.
 */
function refuseUnroutable(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const noop = () => undefined;
  stampSecurityHeaders(request, reply, noop);
  echoCorrelationId(request, reply, noop);
  requestGuard(request.raw, reply.raw, (refusal) => ERRORS.answer(refusal ?? error, request, reply));
}
