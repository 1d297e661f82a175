import { Logger, type LoggerService } from '@nestjs/common';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { errorMessage } from '../common/errors/error-message';
import type { AppConfig } from '../config/app-config';
import { samplerOf } from './sampler';
import { SpanExportLog } from './span-export-log';
import { setTracingOn } from './tracing';

type TracingConfig = Pick<AppConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME' | 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>;

/**
 * How long stopping waits for the last spans to reach the collector: an unreachable one would
 * hold the shutdown for the exporter's retries (7 s and more), and its refusal would fail it.
 */
export const FLUSH_BOUND_MS = 2_000;

/**
 * Registers the OpenTelemetry SDK as the global tracer provider, with the AsyncLocalStorage
 * context manager and the W3C trace-context propagator alone: the SDK's default adds W3C Baggage,
 * which would carry whatever `baggage` header a start message or a reply brought (up to 8 KB,
 * chosen by a publisher or a worker) into the run's stored context, every command it sends and
 * every `http` step's call to a third party. main.ts loads this file only when tracing is
 * configured. `processor` replaces the OTLP exporter (tests). Returns a function that flushes
 * and stops the SDK, and never fails: the shutdown hooks after it must still run.
 */
export function startTracing(config: TracingConfig, processor?: SpanProcessor, logger: LoggerService = new Logger('Tracing')): () => Promise<void> {
  const exportLog = new SpanExportLog(logger);
  diag.setLogger(exportLog, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const exporter = processor ? undefined : exportLog.watching(new OTLPTraceExporter({
    url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT!.replace(/\/+$/, '')}/v1/traces`,
  }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME, [ATTR_SERVICE_VERSION]: '0.1.0' }),
    sampler: samplerOf(config.OTEL_TRACES_SAMPLER, config.OTEL_TRACES_SAMPLER_ARG),
    spanProcessors: [processor ?? new BatchSpanProcessor(exporter!)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  setTracingOn(true);
  return async () => {
    setTracingOn(false);
    const failure = await settledWithin(provider.shutdown(), FLUSH_BOUND_MS);
    if (failure) logger.warn(`Stopped without sending the last spans: ${failure}`);
    // Back to the no-op API, so that a later start (the next test suite) can register again.
    trace.disable();
    context.disable();
    propagation.disable();
    diag.disable();
  };
}

/** Why `work` did not succeed within `ms` (it failed, or is still going), or undefined once it has. */
async function settledWithin(work: Promise<void>, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the collector did not take them within ${ms / 1000} s`), ms);
  });
  try {
    return await Promise.race([work.then(() => undefined, (e: unknown) => errorMessage(e)), late]);
  } finally {
    clearTimeout(timer);
  }
}
