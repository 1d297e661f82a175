import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../../config/app-config';

/**
 * helmet's headers on every response (nosniff, HSTS, CSP with frame-ancestors 'none'), no caching of
 * API answers (they carry payloads), and CORS only for the origins in CORS_ORIGINS.
 */
export function applySecurityHeaders(app: NestExpressApplication, config: AppConfig): void {
  app.use(helmet({ contentSecurityPolicy: { directives: { frameAncestors: ["'none'"] } }, frameguard: { action: 'deny' } }));
  app.use((req: Request, res: Response, next: NextFunction) => {
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
