import type { WireCommand } from './wire';

type OtelApi = typeof import('@opentelemetry/api');

/** `traceparent` and `tracestate` (W3C trace context), as a command or reply carries them. */
export type TraceHeaders = Record<string, string>;

const TRACE_HEADERS = ['traceparent', 'tracestate'];

let api: OtelApi | null | undefined;

/**
 * @opentelemetry/api is an optional peer: without it the SDK makes no span and adds no header.
 * With it but without an OpenTelemetry SDK registered by the application, its calls are no-ops.
 */
function otel(): OtelApi | null {
  if (api === undefined) {
    try {
      api = require('@opentelemetry/api') as OtelApi; // eslint-disable-line @typescript-eslint/no-require-imports -- optional peer
    } catch {
      api = null;
    }
  }
  return api;
}

type Tracer = ReturnType<OtelApi['trace']['getTracer']>;

/**
 * The tracer of the SDK the application registered, or undefined when it registered none: then a
 * span is not worth its cost (a no-op span, context and closure per command). The API's global
 * provider is a proxy that holds the registered one as its delegate.
 */
function registeredTracer(o: OtelApi): Tracer | undefined {
  const provider = o.trace.getTracerProvider() as { getDelegateTracer?: (name: string) => Tracer | undefined };
  return provider.getDelegateTracer ? provider.getDelegateTracer('@baton/worker') : o.trace.getTracer('@baton/worker');
}

/** The trace headers among a message's headers (Kafka gives Buffers, RabbitMQ and HTTP strings). */
export function traceHeadersOf(headers: Record<string, unknown> | undefined): TraceHeaders {
  const found: TraceHeaders = {};
  for (const name of TRACE_HEADERS) {
    const value = headers?.[name];
    if (typeof value === 'string' || Buffer.isBuffer(value)) found[name] = value.toString();
  }
  return found;
}

/**
 * Runs the handling of a command in a CONSUMER span `process DO|UNDO`, the child of the span that
 * dispatched it in Baton, so the worker's work and its reply sit in the run's trace. `fail` marks
 * the span as failed without throwing (the SDK turns handler errors into FAILED replies).
 */
export async function inHandlerSpan<T>(headers: TraceHeaders | undefined, c: WireCommand,
  fn: (fail: (error: string) => void) => Promise<T>): Promise<T> {
  const o = otel();
  const tracer = o && registeredTracer(o);
  if (!o || !tracer) return fn(() => undefined);
  const parent = o.propagation.extract(o.context.active(), headers ?? {});
  const attributes = {
    'baton.flow_id': c.flowId, 'baton.orch_name': c.orchName, 'baton.step': c.stepName, 'baton.action': c.action,
    'baton.attempt': c.attempt, 'baton.correlation_id': c.correlationId,
    'messaging.operation.type': 'process', 'messaging.message.conversation_id': c.correlationId,
  };
  return tracer.startActiveSpan(`process ${c.action}`, { kind: o.SpanKind.CONSUMER, attributes }, parent,
    async (span) => {
      try {
        return await fn((error) => span.setStatus({ code: o.SpanStatusCode.ERROR, message: error }));
      } finally {
        span.end();
      }
    });
}

/** The active span's trace headers, for a reply (empty without OpenTelemetry or outside a span). */
export function currentTraceHeaders(): TraceHeaders {
  const o = otel();
  const carrier: TraceHeaders = {};
  o?.propagation.inject(o.context.active(), carrier);
  return carrier;
}
