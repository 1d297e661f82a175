import { SpanStatusCode, trace, context, propagation } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { currentTraceHeaders, inHandlerSpan, traceHeadersOf } from './tracing';
import type { WireCommand } from './wire';

const command = {
  flowId: 'f1', orchName: 'o', stepName: 's', action: 'DO', attempt: 2, commandId: 'c', objectType: 'String', payload: null,
  payloadEncoding: 'json', outputs: {}, correlationId: 'corr', idempotencyKey: 'f1:s:DO', deadline: new Date(Date.now() + 60_000).toISOString(),
} as WireCommand;
const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('worker tracing', () => {
  it('reads the trace headers from Kafka buffers and string headers, and nothing else', () => {
    expect(traceHeadersOf({ traceparent: Buffer.from(PARENT), tracestate: 'a=b', other: 'x' })).toEqual({ traceparent: PARENT, tracestate: 'a=b' });
    expect(traceHeadersOf(undefined)).toEqual({});
  });

  it('without an SDK registered, runs the handler and sends no header', async () => {
    const getTracer = jest.spyOn(trace, 'getTracer');
    const headers = await inHandlerSpan({ traceparent: PARENT }, command, async () => currentTraceHeaders());
    expect(headers).toEqual({});
    expect(getTracer).not.toHaveBeenCalled(); // not even a no-op span per command
    getTracer.mockRestore();
  });

  describe('with an SDK registered by the application', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    beforeAll(() => provider.register());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('continues Baton\'s trace in a `process DO` span, and the reply carries that span', async () => {
      const reply = await inHandlerSpan({ traceparent: PARENT }, command, async () => currentTraceHeaders());
      const [span] = exporter.getFinishedSpans();
      expect(span.name).toBe('process DO');
      expect(span.instrumentationScope.name).toBe('@baton/worker');
      expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(span.attributes).toMatchObject({ 'baton.flow_id': 'f1', 'baton.step': 's', 'baton.attempt': 2, 'baton.correlation_id': 'corr' });
      expect(reply.traceparent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${span.spanContext().spanId}-01`);
    });

    it('marks the span failed when the handler failed', async () => {
      exporter.reset();
      await inHandlerSpan({}, command, async (fail) => fail('no stock'));
      expect(exporter.getFinishedSpans()[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'no stock' });
    });
  });
});
