import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../../config/app-config';

/**
 * CSP and framing: no other site may frame any page of ours. Without helmet's
 * upgrade-insecure-requests: Baton served over plain HTTP on a host other than localhost (a dev
 * VM, docker compose) had the browser fetch Swagger UI's scripts over https, and showed a blank page.
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null } }, frameguard: { action: 'deny' },
};

/**
 * The headers helmet sets, read once from a dry run of its middleware. With these options they are
 * the same on every response, and helmet's chain of 13 middlewares per request showed in the
 * engine's profile; helmet stays the one source of their names and values.
 */
export function helmetHeaders(options: HelmetOptions): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return [...headers];
}

/** Helmet's headers with Baton's options, the same on every answer. */
export const HEADERS = helmetHeaders(HELMET_OPTIONS);

/**
 * A Fastify hook: helmet's headers (nosniff, HSTS, CSP with frame-ancestors 'none') and no caching
 * (API answers carry payloads; the console's and Swagger's files set their own), on the Node
 * response so that every answer, errors and early refusals too, carries them.
 */
export function stampSecurityHeaders(_request: FastifyRequest, { raw }: FastifyReply, done: HookHandlerDoneFunction): void {
  for (const [name, value] of HEADERS) raw.setHeader(name, value);
  raw.setHeader('Cache-Control', 'no-store');
  done();
}

/** CORS only for the origins in CORS_ORIGINS. A preflight need not name a method: the browser's own always does. */
export function allowCorsOrigins(app: NestFastifyApplication, config: AppConfig): void {
  const origins = config.corsOrigins;
  if (origins.length) {
    app.enableCors({
      strictPreflight: false,
      origin: origins,
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Service-Name', 'X-Correlation-ID', 'Idempotency-Key'],
      exposedHeaders: ['X-Correlation-ID', 'Location', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }
}
