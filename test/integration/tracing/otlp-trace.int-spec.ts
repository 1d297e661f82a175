import { createWorker, type TransportChoice, type Worker } from '@baton/worker';
import { randomUUID } from 'node:crypto';
import { startTracing } from '../../../src/tracing/otel-sdk';
import { PARTNER_AUTH, partnerEnv } from '../../e2e/handlers/support/partner-env';
import { FakePartnerServer } from '../../fakes/fake-partner.server';
import { OtlpReceiver } from '../../fakes/otlp-receiver.server';
import { execute, waitForRun } from '../../helpers/runs';
import { serverSuite, type Driver } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { expectRunChain } from '../../helpers/trace-tree';

/** An http step calling the fake partner, then two worker steps. */
const STEPS = ['createOrder', 'reserve', 'charge'];
const WORKER_STEPS = STEPS.slice(1);
const createOrder = { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: { sku: '${payload.sku}' } };
const names = (env: Record<string, string>) => ({ commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, replyTopic: env.TOPIC_REPLY });

/**
 * Baton on PostgreSQL and a real broker, exporting over OTLP/HTTP to a receiver on loopback; an
 * http step calls a fake partner, and a worker on the SDK (in this process, so on the same tracer
 * provider) consumes the broker. One run must arrive as one trace, in order.
 */
function tracedRun(label: string, driver: Driver, transportOf: (env: Record<string, string>) => TransportChoice, viaHttp = false) {
  describe(`one trace per run: ${label}`, () => {
    const receiver = new OtlpReceiver();
    const partner = new FakePartnerServer(PARTNER_AUTH);
    const suite = serverSuite(driver);
    let stopTracing: () => Promise<void> = async () => undefined;
    let t: TestApp;
    let env: Record<string, string>;
    let worker: Worker | undefined;

    beforeAll(async () => {
      const endpoint = await receiver.start();
      stopTracing = startTracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: `baton-${driver}`, OTEL_TRACES_SAMPLER: 'always_on',
      });
      await partner.start();
      env = { ...partnerEnv(partner), ...await suite.env() };
      t = await startTestApp(env);
      await t.app.listen(0, '127.0.0.1');
    });

    afterAll(async () => {
      await worker?.stop();
      await t?.close();
      await stopTracing();
      await receiver.stop();
      await partner.stop();
      await suite.cleanup();
    });

    it('holds the request, each dispatch, the worker\'s handler span and each reply, parent to child', async () => {
      const orchName = `trace${randomUUID().slice(0, 8)}`;
      const service = `svc-${orchName}`;
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'trace-initiator')
        .send({ orchName, as: 'initiator', type: 'sequential', steps: [
          { seq: 1, name: 'createOrder', objectType: 'Order', handler: createOrder },
          ...WORKER_STEPS.map((name, i) => ({ seq: i + 2, name, objectType: 'String' })),
        ] })
        .expect(201);
      worker = createWorker({ service, baton: { url: await t.app.getUrl() }, transport: transportOf(env), handleSignals: false });
      for (const step of WORKER_STEPS) worker.step(orchName, step, { objectType: 'String', do: () => ({ done: step }) });
      await worker.start();
      const { flowId } = (await execute(t, orchName, { sku: 'A-1' }, { 'X-Correlation-ID': `trace-${driver}` }).expect(202)).body;
      await waitForRun(t, flowId, 'COMPLETED', 60_000);
      await stopTracing(); // flushes what the batch processor holds
      stopTracing = async () => undefined;

      const spans = receiver.spans;
      const chain = expectRunChain(spans, flowId, STEPS, 'DO', { viaHttp, builtIn: ['createOrder'] });
      // The partner got the launch span's traceparent: its own spans would join the run's trace.
      const [call] = partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${flowId}:createOrder:DO`);
      const launch = chain.find((s) => s.name === 'job launch')!;
      expect(call.headers.traceparent).toBe(`00-${launch.traceId}-${launch.spanId}-01`);
      for (const handler of chain.filter((s) => s.name === 'process DO')) {
        expect(handler.scope).toBe('@baton/worker');
        expect(handler.attributes['baton.correlation_id']).toBe(`trace-${driver}`);
      }
      // Each command's publish, after the commit, under its dispatch.
      for (const dispatch of chain.filter((s) => s.name === 'dispatch DO' && s.attributes['baton.step'] !== 'createOrder')) {
        const sends = spans.filter((s) => s.parentSpanId === dispatch.spanId && s.name.startsWith('send '));
        expect(sends.map((s) => [s.name, s.attributes['messaging.system']])).toEqual([[`send ${env.COMMAND_TOPIC_PREFIX}${service}`, driver]]);
      }
      expect(new Set(chain.map((s) => s.service))).toEqual(new Set([`baton-${driver}`]));
    });
  });
}

tracedRun('RabbitMQ', 'rabbitmq', (env) => ({ rabbitmq: { url: env.RABBITMQ_URL, ...names(env) } }));
tracedRun('Kafka', 'kafka', (env) => ({ kafka: { brokers: env.KAFKA_BROKERS.split(','), ...names(env) } }));
tracedRun('HTTP worker transport, Baton on RabbitMQ', 'rabbitmq', () => 'http', true);
