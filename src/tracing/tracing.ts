import {
  context, INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, trace, SpanKind, SpanStatusCode,
  type Attributes, type Context, type Link, type Span, type SpanContext, type TimeInput,
} from '@opentelemetry/api';

export { SpanKind };
export type { Span, SpanContext };

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** The parent instead of the active context (a message's, extracted from its headers). */
  parent?: Context;
  startTime?: TimeInput;
}

const TRACER = 'baton';

/** What every call returns while tracing is off: one shared non-recording span. */
const OFF_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

let on = false;

/**
 * Set by startTracing once the SDK is registered (and cleared when it stops). While it is off,
 * every call below returns at once: the API's no-op tracer would still cost a closure, a context
 * and a span per call, several times per transition on the hot path.
 */
export function setTracingOn(value: boolean): void {
  on = value;
}

/*
 * Baton's only way to make spans. It goes through the OpenTelemetry API's global tracer, once
 * main.ts has registered the SDK (OTEL_EXPORTER_OTLP_ENDPOINT set): then every call here records.
 * Without the SDK nothing is made, and `inject` adds no header.
 */
export const tracing = {
  /** Whether spans are recorded at all (the SDK is registered). */
  isOn(): boolean {
    return on;
  },

  /**
   * Runs `fn` in a new span, active for everything it awaits (logs, child spans, injected
   * headers). A throw marks the span as an error and is rethrown.
   */
  async span<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
    if (!on) return fn(OFF_SPAN);
    const [result, span] = await tracing.held(name, options, fn);
    span.end();
    return result;
  },

  /**
   * Like `span`, but a span whose work resolved is left open for the caller to end (a dispatch's,
   * once its transition's write succeeded or lost its race). A throw still ends it, as an error.
   */
  async held<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<[T, Span]> {
    if (!on) return [await fn(OFF_SPAN), OFF_SPAN];
    const parent = options.parent ?? context.active();
    return trace.getTracer(TRACER).startActiveSpan(name, options, parent, async (span): Promise<[T, Span]> => {
      try {
        return [await fn(span), span];
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
        span.end();
        throw e;
      }
    });
  },

  /** Starts a span the caller ends (one that outlives a callback, like an HTTP request's). */
  start(name: string, options: SpanOptions = {}): Span {
    if (!on) return OFF_SPAN;
    return trace.getTracer(TRACER).startSpan(name, options, options.parent ?? context.active());
  },

  /** A span that already happened: recorded in one go, from `startTime` to now. */
  record(name: string, options: SpanOptions & { startTime: TimeInput }): SpanContext {
    if (!on) return INVALID_SPAN_CONTEXT;
    const span = trace.getTracer(TRACER).startSpan(name, options, options.parent ?? context.active());
    const spanContext = span.spanContext();
    span.end();
    return spanContext;
  },

  /** `headers` plus W3C `traceparent`/`tracestate` of the active span (none without tracing). */
  inject(headers: Record<string, string>, from: Context = context.active()): Record<string, string> {
    const carrier = { ...headers };
    if (on) propagation.inject(from, carrier);
    return carrier;
  },

  /**
   * The trace context a message or request carries, to continue it. Read against the root
   * context: a message without one starts a trace of its own rather than joining whatever span
   * happens to be active where it is delivered (the in-process broker delivers in the publisher's).
   */
  extract(headers: Record<string, unknown>): Context {
    if (!on) return ROOT_CONTEXT;
    return propagation.extract(ROOT_CONTEXT, headers, {
      keys: (carrier) => Object.keys(carrier),
      get: (carrier, key) => {
        const value = carrier[key];
        return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
      },
    });
  },

  /** The active context with `span` as its span. */
  contextOf(span: Span): Context {
    if (!on) return ROOT_CONTEXT;
    return trace.setSpan(context.active(), span);
  },

  /** Makes `emitter`'s listeners run in `ctx`, whoever emits. */
  bind<E extends NodeJS.EventEmitter>(ctx: Context, emitter: E): E {
    if (!on) return emitter;
    return context.bind(ctx, emitter);
  },

  /** Runs `fn` with `ctx` active. */
  within<T>(ctx: Context, fn: () => T): T {
    if (!on) return fn();
    return context.with(ctx, fn);
  },

  /** The active span's context, when there is a recording one. */
  activeSpanContext(): SpanContext | undefined {
    if (!on) return undefined;
    const span = trace.getActiveSpan();
    return span?.isRecording() ? span.spanContext() : undefined;
  },
};
