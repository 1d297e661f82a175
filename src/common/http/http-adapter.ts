import { Logger } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { fastify, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { echoedText } from '../../auth/api-keys/api-key-format';
import { stampSecurityHeaders } from '../../auth/http/security-headers';
import type { AppConfig } from '../../config/app-config';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { correlationIdFor, echoCorrelationId } from '../logging/correlation';
import { requestGuard } from '../validation/request-guard';
import { answerClientError } from './client-errors';

/**
 * Node's limit on receiving a whole request, headers and body (Fastify would lift it: it sets 0):
 * a second per 16 KiB of BODY_LIMIT_BYTES (64 s at its default), and at least a minute, so that a
 * client sending at 16 KiB/s gets its largest body in, and a trickling body holds a connection no
 * longer. Waiting for an answer (a worker's long poll) is not receiving.
 */
export function requestTimeoutMs(bodyLimitBytes: number): number {
  return Math.max(60_000, Math.ceil(bodyLimitBytes / 16_384) * 1000);
}
/**
 * Node's own idle keep-alive limit, where Fastify sets 72 s: idle sockets are not held longer, and a
 * connection that a close cannot count as idle delays it by no more than this.
 */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * Longest path parameter the router takes: longer than any request line Node accepts (16 KiB of
 * headers), so that a long one reaches its route, whose validation names it (find-my-way's 100 is
 * less than a lease id).
 */
const MAX_PARAM_LENGTH = 16 * 1024;

/**
 * Baton's HTTP server: Fastify, which costs the engine a fifth less CPU per transition than Express
 * did (test/bench/README.md, Round eighteen). The correlation id is Fastify's request id, taken
 * from the caller when sane. The security headers and the correlation id are the first hooks, ahead
 * of Nest's own (CORS, its check of the request target), so that every answer carries them.
 */
export function httpAdapter(config: AppConfig): FastifyAdapter {
  const server = fastify({
    trustProxy: config.trustProxy,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: requestTimeoutMs(config.BODY_LIMIT_BYTES),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    genReqId: correlationIdFor,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    frameworkErrors: refuseUnroutable,
    clientErrorHandler: answerClientError,
    // While closing, requests on open connections are still answered by the routes (the database
    // closes after the server), not with Fastify's own 503.
    return503OnClosing: false,
  });
  server.addHook('onRequest', stampSecurityHeaders);
  server.addHook('onRequest', echoCorrelationId);
  return new FastifyAdapter(server);
}

const ERRORS = new HttpErrorFilter();
const logger = new Logger('HttpAdapter');

/**
 * A path the router cannot decode is refused before any hook runs: its answer gets the headers
 * every answer has here, and the problems the request guard names, through the one error filter.
 * No request log line is written for it (that is a hook too), so it is logged here.
 */
function refuseUnroutable(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const noop = () => undefined;
  stampSecurityHeaders(request, reply, noop);
  echoCorrelationId(request, reply, noop);
  logger.warn({ correlationId: request.id, method: request.method, url: echoedText(request.url, 200), code: error.code }, 'request refused: the router cannot take its path');
  requestGuard(request.raw, reply.raw, (refusal) => ERRORS.answer(refusal ?? error, request, reply));
}
