import { propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { logTraceFields } from './log-trace-fields';
import { startTracing } from './otel-sdk';
import { publishTraced } from './publish-spans';
import { SpanKind, tracing } from './tracing';

const CONFIG = { OTEL_SERVICE_NAME: 'baton-unit', OTEL_TRACES_SAMPLER: 'always_on' as const };

describe('tracing without the SDK', () => {
  it('still runs the work, adds no header and logs no trace fields', async () => {
    const result = await tracing.span('work', {}, async () => {
      expect(logTraceFields()).toEqual({});
      return tracing.inject({ a: 'b' });
    });
    expect(result).toEqual({ a: 'b' });
  });

  it('does no OpenTelemetry work at all on the hot path (no tracer, no propagation)', async () => {
    const getTracer = jest.spyOn(trace, 'getTracer');
    const inject = jest.spyOn(propagation, 'inject');
    const extract = jest.spyOn(propagation, 'extract');
    try {
      const span = await tracing.span('work', {}, async (s) => s);
      expect(span.isRecording()).toBe(false);
      expect(tracing.start('x').isRecording()).toBe(false);
      tracing.within(tracing.extract({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }), () => tracing.inject({}));
      expect(getTracer).not.toHaveBeenCalled();
      expect(inject).not.toHaveBeenCalled();
      expect(extract).not.toHaveBeenCalled();
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe('tracing with the SDK (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let stop: () => Promise<void>;

  beforeAll(() => {
    stop = startTracing(CONFIG, new SimpleSpanProcessor(exporter));
  });
  afterAll(() => stop());
  beforeEach(() => exporter.reset());

  it('nests spans through awaits, and carries the active one in traceparent', async () => {
    let headers: Record<string, string> = {};
    await tracing.span('outer', {}, async () => {
      await new Promise((r) => setTimeout(r, 1));
      await tracing.span('inner', { kind: SpanKind.PRODUCER }, async () => {
        headers = tracing.inject({ 'content-type': 'application/json' });
      });
    });
    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(headers).toEqual({ 'content-type': 'application/json', traceparent: `00-${inner.spanContext().traceId}-${inner.spanContext().spanId}-01` });
  });

  it('continues a context extracted from headers, on another "service"', async () => {
    const sent = await tracing.span('dispatch', {}, async () => tracing.inject({}));
    await tracing.span('process', { parent: tracing.extract(sent) }, async () => undefined);
    const [dispatch, processed] = exporter.getFinishedSpans();
    expect(processed.parentSpanContext?.spanId).toBe(dispatch.spanContext().spanId);
    expect(processed.spanContext().traceId).toBe(dispatch.spanContext().traceId);
  });

  it('marks a span whose work throws as an error, and rethrows', async () => {
    await expect(tracing.span('fails', {}, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span.events[0].name).toBe('exception');
  });

  it('leaves a held span open for the caller to end, and ends it as an error when its work throws', async () => {
    const [value, span] = await tracing.held('held', {}, async () => 42);
    expect(value).toBe(42);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    span.end();
    await expect(tracing.held('held fails', {}, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.status.code])).toEqual([['held', SpanStatusCode.UNSET], ['held fails', SpanStatusCode.ERROR]]);
  });

  it('records a span that already happened, from its start time, linked to another', async () => {
    const startTime = new Date(Date.now() - 60_000);
    const other = await tracing.span('other', {}, async (s) => s.spanContext());
    tracing.record('run', { startTime, links: [{ context: other }] });
    const run = exporter.getFinishedSpans().find((s) => s.name === 'run')!;
    expect(run.startTime[0]).toBe(Math.floor(startTime.getTime() / 1000));
    expect(run.links[0].context.spanId).toBe(other.spanId);
  });

  it('puts trace_id and span_id on log lines written inside a span, and nothing outside', async () => {
    expect(logTraceFields()).toEqual({});
    const fields = await tracing.span('logged', {}, async (span) => ({ fields: logTraceFields(), ctx: span.spanContext() }));
    expect(fields.fields).toEqual({ trace_id: fields.ctx.traceId, span_id: fields.ctx.spanId, trace_flags: '01' });
  });

  it('publishes with a PRODUCER span per traced message under the span that wrote it; untraced ones get none', async () => {
    const traced = await tracing.span('dispatch', {}, async () => tracing.inject({ 'x-message-id': 'm1' }));
    const published: number[] = [];
    await publishTraced('rabbitmq', [
      { topic: 'cmds', headers: traced, body: Buffer.from('a') }, { topic: 'status', headers: {}, body: Buffer.from('b') },
    ], async () => { published.push(2); });
    expect(published).toEqual([2]);
    const [dispatch, send] = exporter.getFinishedSpans();
    expect(send).toMatchObject({ name: 'send cmds', kind: SpanKind.PRODUCER });
    expect(send.parentSpanContext?.spanId).toBe(dispatch.spanContext().spanId);
    expect(send.attributes).toMatchObject({ 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'cmds', 'messaging.message.id': 'm1' });
    expect(exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('marks the publish spans failed when the broker refuses', async () => {
    const traced = await tracing.span('dispatch', {}, async () => tracing.inject({}));
    await expect(publishTraced('kafka', [{ topic: 't', headers: traced, body: Buffer.from('') }], async () => { throw new Error('down'); }))
      .rejects.toThrow('down');
    expect(exporter.getFinishedSpans()[1].status.code).toBe(SpanStatusCode.ERROR);
  });
});
