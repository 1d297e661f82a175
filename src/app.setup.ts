import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, raw, text } from 'express';
import type { IncomingMessage } from 'node:http';
import { API_KEY, BEARER, describeAccess } from './auth/http/openapi-access';
import { applySecurityHeaders } from './auth/http/security-headers';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import { emptyBodyIsNoBody } from './common/http/empty-body';
import { methodGuard } from './common/http/method-guard';
import { correlate } from './common/logging/correlation';
import { LogSink } from './common/logging/log-sink';
import { NestLogger } from './common/logging/nest-logger';
import { requestLog } from './common/logging/request-log';
import { documentClosedBodies } from './common/openapi/closed-bodies';
import { documentCommonErrors } from './common/openapi/document-errors';
import { BoundedValidationPipe } from './common/validation/bounded-validation.pipe';
import { requestGuard } from './common/validation/request-guard';
import { mountConsole } from './console/console-static';
import { documentRegistrationBody } from './registry/registration-openapi';
import { AppConfig } from './config/app-config';
import { httpRequestSpan } from './tracing/http-request-span';

export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/**
 * Everything main.ts and the e2e suites share: body parsing with a size cap, validation, the
 * error filter, the API documentation and the console at /ui.
 */
export function configureApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  const express = app as NestExpressApplication;
  express.useLogger(app.get(NestLogger));
  express.disable('x-powered-by');
  // API answers are no-store, so no client revalidates them: hashing every body for an ETag is waste.
  express.set('etag', false);
  // req.ip is the address failed logins are counted and audited by: behind a proxy, the client
  // named by the proxies TRUST_PROXY trusts, or every client would share the proxy's.
  express.set('trust proxy', config.trustProxy);
  applySecurityHeaders(express, config);
  const limit = config.BODY_LIMIT_BYTES;
  // JSON is parsed for the API; YAML and text stay text; anything else (run payloads) stays raw.
  // The bytes as sent are kept too: a run payload is stored exactly as given.
  const keepRaw = (req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, buf: Buffer) => { req.rawBody = buf; };
  express.use(correlate);
  const requests = requestLog(app.get(LogSink));
  if (requests) express.use(requests);
  express.use(httpRequestSpan);
  express.use(requestGuard);
  // Not strict: any JSON text is a valid run payload, scalars included (RFC 8259).
  express.use(json({ limit, strict: false, type: ['application/json', 'application/*+json'], verify: keepRaw }));
  express.use(text({ limit, type: [...YAML_TYPES, 'text/*'], verify: keepRaw }));
  express.use(raw({ limit, type: () => true }));
  express.use(emptyBodyIsNoBody);
  app.useGlobalPipes(new BoundedValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  mountConsole(app, config.CONSOLE_DIR, config.consoleOidcEnabled ? config.AUTH_JWT_ISSUER : undefined);

  const document = documentCommonErrors(describeAccess(SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Baton')
    .setDescription('Registry-based orchestration engine: register templates and workers, execute runs, undo them.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (bk_…) or a JWT of the identity provider' }, BEARER)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (bk_…)' }, API_KEY)
    .build())));
  documentRegistrationBody(documentClosedBodies(document), YAML_TYPES);
  express.use(methodGuard(document));
  SwaggerModule.setup('swagger-ui.html', app, document, { jsonDocumentUrl: 'v3/api-docs' });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
