import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { AppConfig } from '../config/app-config';
import { samplerOf } from './sampler';
import { setTracingOn } from './tracing';

type TracingConfig = Pick<AppConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME' | 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>;

/**
 * Registers the OpenTelemetry SDK as the global tracer provider, with the W3C trace-context
 * propagator and the AsyncLocalStorage context manager (NodeTracerProvider's defaults). main.ts
 * loads this file only when tracing is configured. `processor` replaces the OTLP exporter (tests).
 * Returns a function that flushes and stops the SDK.
 */
export function startTracing(config: TracingConfig, processor?: SpanProcessor): () => Promise<void> {
  const exporter = processor ? undefined : new OTLPTraceExporter({
    url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT!.replace(/\/+$/, '')}/v1/traces`,
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME, [ATTR_SERVICE_VERSION]: '0.1.0' }),
    sampler: samplerOf(config.OTEL_TRACES_SAMPLER, config.OTEL_TRACES_SAMPLER_ARG),
    spanProcessors: [processor ?? new BatchSpanProcessor(exporter!)],
  });
  provider.register();
  setTracingOn(true);
  return async () => {
    setTracingOn(false);
    await provider.shutdown();
    // Back to the no-op API, so that a later start (the next test suite) can register again.
    trace.disable();
    context.disable();
    propagation.disable();
  };
}
