// For specs: the OpenTelemetry SDK with an in-memory exporter, registered around a describe block.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { AppConfig } from '../config/app-config';
import { startTracing } from './otel-sdk';

/** Call inside a describe: spans of each test land in the returned exporter, emptied before every test. */
export function inMemoryTracing(sampler: AppConfig['OTEL_TRACES_SAMPLER'] = 'always_on'): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  let stop: () => Promise<void>;
  beforeAll(() => {
    stop = startTracing({ OTEL_SERVICE_NAME: 'baton-unit', OTEL_TRACES_SAMPLER: sampler }, new SimpleSpanProcessor(exporter));
  });
  afterAll(() => stop());
  beforeEach(() => exporter.reset());
  return exporter;
}
