import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../../config/app-config';

/** CSP and framing: no other site may frame any page of ours. */
export const HELMET_OPTIONS: HelmetOptions = { contentSecurityPolicy: { directives: { frameAncestors: ["'none'"] } }, frameguard: { action: 'deny' } };

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

/**
 * helmet's headers on every response (nosniff, HSTS, CSP with frame-ancestors 'none'), no caching of
 * API answers (they carry payloads), and CORS only for the origins in CORS_ORIGINS.
 */
export function applySecurityHeaders(app: NestExpressApplication, config: AppConfig): void {
  const headers = helmetHeaders(HELMET_OPTIONS);
  app.use((req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    if (req.path.startsWith('/api/') || req.path === '/metrics') res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const origins = config.corsOrigins;
  if (origins.length) {
    app.enableCors({
      origin: origins,
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Service-Name', 'X-Correlation-ID', 'Idempotency-Key'],
      exposedHeaders: ['X-Correlation-ID', 'Location', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }
}
