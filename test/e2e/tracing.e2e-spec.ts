import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { join } from 'node:path';
import { startTracing } from '../../src/tracing/otel-sdk';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { expectRunChain, oneSpan, type SeenSpan } from '../helpers/trace-tree';

const STEPS = ['reserveStock', 'chargePayment', 'shipOrder'];

function seen(span: ReadableSpan): SeenSpan {
  return {
    name: span.name, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId, attributes: { ...span.attributes },
    links: span.links.map((l) => ({ spanId: l.context.spanId })), service: String(span.resource.attributes['service.name']),
  };
}

describe('tracing on the embedded default (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let stop: () => Promise<void>;
  let t: TestApp;

  beforeAll(async () => {
    stop = startTracing({ OTEL_SERVICE_NAME: 'baton-e2e', OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, new SimpleSpanProcessor(exporter));
    t = await startTestApp({ DEFINITIONS_DIR: join(__dirname, '../../definitions'), DEMO_WORKER: 'true' });
    await expectEventually(async () => expect((await t.http.get('/api/orchestration/templates/demoOrder')).body.status).toBe('READY'),
      { timeoutMs: 10_000 });
  }, 120_000); // PGlite's initdb takes seconds, and far longer on a busy machine

  afterAll(async () => {
    await t?.close();
    await stop?.();
  });

  it('gives a run one trace: request, run start, then per step dispatch, handler, reply; the run span last', async () => {
    exporter.reset();
    const started = await execute(t, 'demoOrder', { orderId: 7 }, { 'X-Correlation-ID': 'trace-e2e-1' }).expect(202);
    const flowId = started.body.flowId as string;
    await waitForRun(t, flowId, 'COMPLETED');
    const spans = await expectEventually(() => {
      const all = exporter.getFinishedSpans().map(seen);
      oneSpan(all, 'run', { 'baton.flow_id': flowId });
      return all;
    });
    const chain = expectRunChain(spans, flowId, STEPS);
    const trace = spans.filter((s) => s.traceId === chain[0].traceId);
    // Every command and status event published after its commit, in the run's trace.
    const sends = trace.filter((s) => s.name.startsWith('send '));
    expect(sends.length).toBeGreaterThanOrEqual(STEPS.length);
    for (const send of sends) expect(send.attributes['messaging.system']).toBe('memory');
    expect(oneSpan(trace, 'run start').attributes).toMatchObject({ 'baton.orch_name': 'demoOrder', 'baton.correlation_id': 'trace-e2e-1' });
    expect(oneSpan(trace, 'dispatch DO', { 'baton.step': 'chargePayment' }).attributes).toMatchObject({
      'baton.attempt': 1, 'baton.action': 'DO', 'messaging.destination.name': 'orchestrator.commands.demo-worker',
    });
    expect(oneSpan(trace, 'run').attributes['baton.run_status']).toBe('COMPLETED');
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['baton-e2e']));
  });

  it('continues the caller\'s traceparent', async () => {
    exporter.reset();
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const started = await execute(t, 'demoOrder', {}, { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` }).expect(202);
    await waitForRun(t, started.body.flowId, 'COMPLETED');
    const run = await expectEventually(() => oneSpan(exporter.getFinishedSpans().map(seen), 'run', { 'baton.flow_id': started.body.flowId }));
    expect(run.traceId).toBe(callerTrace);
  });

  it('cuts a whole API key in a request path to its prefix in the span\'s url.path', async () => {
    exporter.reset();
    const secret = 's'.repeat(43);
    await t.http.get(`/api/nothing-here/bk_pasted12_${secret}`).expect(404);
    const span = await expectEventually(() => {
      const found = exporter.getFinishedSpans().map(seen).filter((s) => s.attributes['http.request.method'] === 'GET');
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(span.attributes['url.path']).toBe('/api/nothing-here/bk_pasted12_…');
    expect(JSON.stringify(exporter.getFinishedSpans().map(seen))).not.toContain(secret);
  });
});
