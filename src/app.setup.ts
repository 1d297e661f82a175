import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessGuard } from './auth/access.guard';
import { API_KEY, BEARER, describeAccess } from './auth/http/openapi-access';
import { allowCorsOrigins } from './auth/http/security-headers';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import { parseBodies, refuseCompressedBody, YAML_TYPES } from './common/http/body-parsers';
import { methodGuard } from './common/http/method-guard';
import { LogSink } from './common/logging/log-sink';
import { NestLogger } from './common/logging/nest-logger';
import { requestLog } from './common/logging/request-log';
import { documentClosedBodies } from './common/openapi/closed-bodies';
import { documentCommonErrors } from './common/openapi/document-errors';
import { BoundedValidationPipe } from './common/validation/bounded-validation.pipe';
import { requestGuard } from './common/validation/request-guard';
import { CONSOLE_PATH, mountConsole } from './console/console-static';
import { documentRegistrationBody } from './registry/registration-openapi';
import { AppConfig } from './config/app-config';
import { httpRequestSpan } from './tracing/http-request-span';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** A handler of Node's request and response, run as a Fastify hook: it may end the request with an error. */
const onNode = (handler: NodeHandler): onRequestHookHandler => (request, reply, done) => handler(request.raw, reply.raw, done as (e?: unknown) => void);

/** Served outside the API document, GET only: the console, and the document with its UI (mounted below). */
const READ_ONLY_PATHS = [
  /^\/$/, // the redirect to the console
  new RegExp(`^${CONSOLE_PATH}(/.*)?$`),
  /^\/(swagger-ui\.html|docs)(\/.*)?$/,
  /^\/(v3\/api-docs|docs-json|docs-yaml|swagger-ui\.html-yaml)$/,
];

/**
 * Everything main.ts and the e2e suites share: body parsing with a size cap, validation, the
 * error filter, the API documentation and the console at /ui. Runs before the routes are
 * registered (app.init), so each hook runs, in this order, for every request.
 */
export function configureApp(nest: INestApplication): void {
  const app = nest as NestFastifyApplication;
  const config = app.get(AppConfig);
  const http = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  app.useLogger(app.get(NestLogger));
  // The security headers and the correlation id come first of all (http-adapter.ts).
  allowCorsOrigins(app, config);
  const requests = requestLog(app.get(LogSink));
  if (requests) http.addHook('onRequest', onNode(requests));
  http.addHook('onRequest', httpRequestSpan);
  http.addHook('onRequest', onNode(requestGuard));
  const guard = app.get(AccessGuard);
  http.addHook('preParsing', async (request, reply, payload) => {
    try {
      await guard.authenticateBeforeBody(request);
    } catch (refusal) {
      // Kept alive, Node would go on reading the unread body, as slowly as it comes, to reuse the connection.
      reply.header('Connection', 'close');
      throw refusal;
    }
    return payload;
  });
  parseBodies(http);
  app.useGlobalPipes(new BoundedValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  app.useGlobalFilters(new HttpErrorFilter());
  mountConsole(app, config.CONSOLE_DIR, config.consoleOidcOrigins);

  const document = documentCommonErrors(describeAccess(SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Baton')
    .setDescription('Registry-based orchestration engine: register templates and workers, execute runs, undo them.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (bk_…) or a JWT of the identity provider' }, BEARER)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (bk_…)' }, API_KEY)
    .build())));
  documentRegistrationBody(documentClosedBodies(document), YAML_TYPES);
  http.addHook('onRequest', onNode(methodGuard(document, READ_ONLY_PATHS)));
  http.addHook('onRequest', refuseCompressedBody);
  SwaggerModule.setup('swagger-ui.html', app, document, { jsonDocumentUrl: 'v3/api-docs' });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
