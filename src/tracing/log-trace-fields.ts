import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * A pino mixin: every log line written inside a span carries its `trace_id` and `span_id`, so a
 * log search and a trace find each other. Without tracing there is never an active span: `{}`.
 */
export function logTraceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: `0${spanContext.traceFlags.toString(16)}` };
}
