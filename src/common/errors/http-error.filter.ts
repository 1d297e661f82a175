import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withoutKeySecrets } from '../../auth/api-keys/api-key-format';
import { correlationIdOf } from '../logging/correlation';
import { AppError } from './app-error';
import { ErrorCode, httpStatusOf } from './error-code';
import { errorMessage } from './error-message';
import { DependencyUnavailableError, isInfrastructureError } from './infrastructure-error';
import { NotReadyError } from './not-ready-error';

/** How long a client should wait before retrying a request that met an outage. */
const RETRY_AFTER_SECONDS = 5;

interface Body {
  code: string;
  message: string;
  problems?: AppError['problems'];
  details?: Record<string, unknown>;
}

/** Codes for the statuses Nest and Fastify's plugins raise themselves (the console's files: 403 outside them, 416 for a bad Range). */
const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.INVALID_REQUEST,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  416: ErrorCode.RANGE_NOT_SATISFIABLE,
};

/** The single place where errors become HTTP responses: a stable code, never a stack. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    this.answer(error, host.switchToHttp().getRequest<FastifyRequest>(), host.switchToHttp().getResponse<FastifyReply>());
  }

  /** Also for what fails before Nest sees the request (a path the router cannot decode). */
  answer(error: unknown, req: FastifyRequest, res: FastifyReply): void {
    const [status, body] = isClientAbort(error, req) ? CLIENT_ABORT : this.toBody(error);
    const correlationId = correlationIdOf(req);
    if (status === 503) {
      // A dependency is down, or Baton is stopping; not the request at fault: the client should try again shortly.
      res.header('Retry-After', String(RETRY_AFTER_SECONDS));
      // Expected, so no stack: the cause's message says which dependency. A health probe's answer
      // goes at debug: the health check itself logs when it turns down and up again.
      const fields = { correlationId, ...(error instanceof AppError ? {} : { cause: errorMessage(error) }) };
      if (isProbeAnswer(error)) this.logger.debug(fields, `health probe answered 503: ${body.message}`);
      else this.logger.warn(fields, `request answered 503: ${body.message}`);
    } else if (status >= 500) {
      this.logger.error({ err: error, correlationId }, 'request failed');
    }
    // RFC 6750: a 401 names the scheme the client should use.
    if (status === 401) res.header('WWW-Authenticate', 'Bearer realm="baton"');
    // A plugin's refusal may name headers it needs (a 416 its Content-Range: bytes */size).
    if (status === 416) res.headers(pluginHeaders(error));
    if (status === 429 && typeof body.details?.retryAfterSeconds === 'number') res.header('Retry-After', String(body.details.retryAfterSeconds));
    res.status(status).send({ ...withoutKeysIn(body), correlationId });
  }

  private toBody(error: unknown): [number, Body] {
    if (isInfrastructureError(error)) {
      const message = error instanceof DependencyUnavailableError ? error.message : 'A dependency (database or broker) is unavailable; retry later';
      return [503, { code: ErrorCode.SERVICE_UNAVAILABLE, message }];
    }
    if (error instanceof AppError) {
      const body: Body = { code: error.code, message: error.message };
      if (error.problems.length) body.problems = error.problems;
      if (error.details) body.details = error.details;
      if (error.compat) Object.assign(body, error.compat);
      return [httpStatusOf(error.code), body];
    }
    if (error instanceof HttpException) return this.fromHttpException(error);
    // Fastify raises plain errors carrying a status (e.g. 413 FST_ERR_CTP_BODY_TOO_LARGE).
    const status = (error as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return [status, { code: HTTP_CODES[status] ?? ErrorCode.INVALID_REQUEST, message: (error as Error).message, ...bodyLimitProblem(status) }];
    }
    return [500, { code: ErrorCode.INTERNAL, message: 'Internal server error' }];
  }

  private fromHttpException(error: HttpException): [number, Body] {
    const status = error.getStatus();
    const response = error.getResponse() as { message?: unknown; details?: unknown };
    // The health check's 503 carries which dependency is down: keep all of it.
    if (status === 503 && response?.details) {
      return [status, { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'A dependency is down', ...response } as Body];
    }
    const code = HTTP_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST);
    return [status, { code, message: typeof response?.message === 'string' ? response.message : error.message, ...bodyLimitProblem(status) }];
  }
}

/** Nobody reads it: the request log line records the status, and this is no outage to warn of. */
const CLIENT_ABORT: [number, Body] = [400, { code: ErrorCode.INVALID_REQUEST, message: 'The client closed the connection before its request was complete' }];

/**
 * The client went away while its body was being read: Node fails the request's stream with
 * ECONNRESET ("aborted"), which alone would read as a dependency's connection reset, a 503.
 */
function isClientAbort(error: unknown, req: FastifyRequest): boolean {
  return (error as { code?: unknown })?.code === 'ECONNRESET' && req.raw.errored === error;
}

/** The HTTP layer's 413 is always the body limit's (Baton's own 413s are AppErrors that say what is too large). */
function bodyLimitProblem(status: number): Pick<Body, 'problems'> {
  return status === 413 ? { problems: [{ path: 'body', message: 'is larger than BODY_LIMIT_BYTES' }] } : {};
}

/** Baton draining, or terminus's health check naming the dependency that is down (a 503 carrying its details). */
function isProbeAnswer(error: unknown): boolean {
  if (error instanceof NotReadyError) return true;
  if (!(error instanceof HttpException) || error.getStatus() !== 503) return false;
  return Boolean((error.getResponse() as { details?: unknown })?.details);
}

/** A whole key sent in a path or query (pasted by mistake) is echoed back only cut to its prefix, as it is logged. */
function withoutKeysIn(body: Body): Body {
  const problems = body.problems?.map((p) => ({ ...p, path: withoutKeySecrets(p.path), message: withoutKeySecrets(p.message) }));
  return { ...body, message: withoutKeySecrets(body.message), ...(problems ? { problems } : {}) };
}

function pluginHeaders(error: unknown): Record<string, string> {
  const headers = (error as { headers?: unknown }).headers;
  return headers !== null && typeof headers === 'object' ? headers as Record<string, string> : {};
}
