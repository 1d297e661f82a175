import { ExportResultCode } from '@opentelemetry/core';
import { SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { FLUSH_BOUND_MS, startTracing } from './otel-sdk';
import { runTraceContext } from './run-span';
import { tracing } from './tracing';
import { recordingLogger } from '../../test/helpers/recording-logger';

const CONFIG = { OTEL_SERVICE_NAME: 'baton-unit', OTEL_TRACES_SAMPLER: 'parentbased_always_on' as const };
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function processorStopping(shutdown: () => Promise<void>): SpanProcessor {
  return { onStart: () => undefined, onEnd: () => undefined, forceFlush: async () => undefined, shutdown };
}

describe('startTracing', () => {
  it('carries traceparent and tracestate on, and never the baggage a message brought', async () => {
    const { logger } = recordingLogger();
    const stop = startTracing(CONFIG, processorStopping(async () => undefined), logger);
    try {
      const parent = tracing.extract({ traceparent: TRACEPARENT, tracestate: 'vendor=1', baggage: `userId=alice,pad=${'A'.repeat(4000)}` });
      const [stored, sent] = await tracing.within(parent, () => tracing.span('run start', {}, async () => [runTraceContext(), tracing.inject({})]));
      for (const headers of [stored!, sent]) {
        expect(Object.keys(headers).sort()).toEqual(['traceparent', 'tracestate']);
        expect(headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
      }
    } finally {
      await stop();
    }
  });

  it('stops when the last flush fails (the collector unreachable), with a warning instead of failing the shutdown', async () => {
    const { logger, lines } = recordingLogger();
    const stop = startTracing(CONFIG, processorStopping(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4318'))), logger);
    await expect(stop()).resolves.toBeUndefined();
    expect(lines).toEqual([['warn', 'Stopped without sending the last spans: connect ECONNREFUSED 127.0.0.1:4318']]);
    expect(tracing.isOn()).toBe(false);
  });

  it('waits for the last flush at most FLUSH_BOUND_MS', async () => {
    jest.useFakeTimers();
    try {
      const { logger, lines } = recordingLogger();
      const stop = startTracing(CONFIG, processorStopping(() => new Promise<void>(() => undefined)), logger);
      let stopped = false;
      const stopping = stop().then(() => { stopped = true; });
      await jest.advanceTimersByTimeAsync(FLUSH_BOUND_MS - 1);
      expect(stopped).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await stopping;
      expect(lines).toEqual([['warn', 'Stopped without sending the last spans: the collector did not take them within 2 s']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('logs spans the collector refuses, once for the outage rather than once per batch', async () => {
    const { logger, lines } = recordingLogger();
    const refusing: SpanExporter = {
      export: (_spans, done) => done({ code: ExportResultCode.FAILED, error: Object.assign(new Error('Unauthorized'), { code: 401 }) }),
      shutdown: async () => undefined,
    };
    const stop = startTracing(CONFIG, new SimpleSpanProcessor(refusing), logger);
    try {
      for (let i = 0; i < 3; i++) await tracing.span(`s${i}`, {}, async () => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      await stop();
    }
    expect(lines).toEqual([
      ['warn', 'sending spans to the OpenTelemetry collector failed: Unauthorized (401); retrying until the dependency is back'],
    ]);
  });
});
