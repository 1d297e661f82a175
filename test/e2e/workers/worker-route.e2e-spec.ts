import { createWorker, WorkerRouteError, type TransportChoice } from '@baton/worker';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A worker on a broker checks Baton's route before it declares anything. On the embedded default
 * Baton's broker is in process: no RabbitMQ or Kafka worker can reach it, and one used to start,
 * register, and wait for commands that never came.
 */
describe("a broker worker's route, against the embedded default", () => {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it("tells a service Baton's broker and reply topic (and no exchange off RabbitMQ)", async () => {
    const res = await t.http.get('/api/workers/shop/broker').expect(200);
    expect(res.body).toEqual({ driver: 'memory', replyTopic: 'orchestrator.reply' });
    await t.http.get('/api/workers/not a name/broker').expect(400);
  });

  it.each<[string, TransportChoice]>([
    ['RabbitMQ', { rabbitmq: { url: 'amqp://127.0.0.1:1' } }],
    ['Kafka', { kafka: { brokers: ['127.0.0.1:1'] } }],
  ])('refuses to start a %s worker, before connecting to it or registering anything, and says to use HTTP', async (name, transport) => {
    const worker = createWorker({ service: `route-${name.toLowerCase()}`, baton: { url }, transport, handleSignals: false, logger: quiet })
      .step('routeFlow', 'charge', { objectType: 'String', do: () => 1 });
    const error = await worker.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerRouteError);
    expect((error as WorkerRouteError).problems).toEqual([`Baton runs its in-process broker, which no ${name === 'Kafka' ? 'kafka' : 'rabbitmq'} worker reaches: use transport: 'http'`]);
    const workers = (await t.http.get('/api/orchestration/workers').query({ orchName: 'routeFlow' }).expect(200)).body;
    expect(workers.items).toEqual([]);
  });
});
