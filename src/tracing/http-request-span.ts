import { SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { withoutKeySecrets } from '../auth/api-keys/api-key-format';
import { ATTR } from './span-attributes';
import { SpanKind, tracing } from './tracing';

/**
 * A Fastify hook, first of all: a SERVER span per request, continuing the caller's `traceparent`, active
 * for the handler and everything it starts (the run, its first dispatches). The request stream is
 * bound to the span too: body parsers read it in callbacks that would otherwise lose the context.
 * Named `METHOD route` (the route template, never the raw path).
 */
export function httpRequestSpan(req: FastifyRequest, reply: FastifyReply, next: HookHandlerDoneFunction): void {
  if (!tracing.isOn()) return next();
  const { method } = req;
  const span = tracing.start(method, {
    kind: SpanKind.SERVER, parent: tracing.extract(req.headers),
    attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: withoutKeySecrets(req.url.split('?')[0]), [ATTR.correlationId]: req.id },
  });
  const ctx = tracing.contextOf(span);
  tracing.bind(ctx, req.raw);
  if (!span.isRecording()) {
    tracing.within(ctx, next);
    return;
  }
  // 'close', not 'finish': it also comes when the client went away before the answer.
  const res = reply.raw;
  res.once('close', () => {
    // An unmatched request has no route template (Fastify's 404 route has none).
    const route = req.is404 ? undefined : req.routeOptions.url;
    if (route) {
      span.updateName(`${method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  tracing.within(ctx, next);
}
