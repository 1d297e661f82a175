import { FakePartnerServer } from '../../fakes/fake-partner.server';
import { waitForRun } from '../../helpers/runs';
import type { TestApp } from '../../helpers/test-app';
import { TestWorker } from '../../helpers/test-worker';
import { eventually } from './support/job-fixtures';
import { jobsOf, keptDataDir, registerTemplate, runToEnd, startEngineApp, startRun, timeline } from './support/engine-app';
import { PARTNER_AUTH, partnerEnv } from './support/partner-env';

const createOrder = { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: { sku: '${payload.sku}' } };

/** Booting the app initialises an embedded database: slow when the machine is busy. */
const BOOT_TIMEOUT_MS = 120_000;

describe('a template with an http step and a worker step', () => {
  const partner = new FakePartnerServer(PARTNER_AUTH);
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    await partner.start();
    t = await startEngineApp(partnerEnv(partner));
    worker = await new TestWorker(t, 'shipping-service').start();
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
    await partner.stop();
  });

  it('calls the partner (retrying a 503 as configured), then hands its output to the worker; a worker failure undoes the call', async () => {
    await registerTemplate(t, 'orderToShipment', [
      { seq: 1, name: 'createOrder', handler: createOrder, retry: { maxAttempts: 3, initialDelaySeconds: 0.2 },
        undo: { type: 'http', connection: 'erp', method: 'DELETE', path: '/orders/${steps.createOrder.output.body.orderId}' } },
      { seq: 2, name: 'ship' },
    ]);
    await worker.register('orderToShipment', ['ship']);
    partner.failNext('POST', /^\/api\/orders$/, { status: 503, body: { message: 'try later' } });

    const run = await runToEnd(t, 'orderToShipment', { sku: 'A-1' }, 'COMPLETED');
    expect(timeline(run)).toEqual(['DO:createOrder:SUCCEEDED', 'DO:ship:SUCCEEDED']);
    const calls = partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${run.flowId}:createOrder:DO`);
    expect(calls).toHaveLength(2);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(200);
    const order = partner.orders.find((o) => o.idempotencyKey === `${run.flowId}:createOrder:DO`)!;
    const [ship] = worker.commands.filter((c) => c.flowId === run.flowId);
    expect(ship.outputs.createOrder).toMatchObject({ status: 201, body: { orderId: order.id, received: { sku: 'A-1' } } });

    const failed = await runToEnd(t, 'orderToShipment', { sku: 'B-2', failAt: 'ship' }, 'FAILED');
    expect(timeline(failed)).toEqual(['DO:createOrder:SUCCEEDED', 'DO:ship:FAILED', 'UNDO:createOrder:SUCCEEDED']);
    expect(partner.orders.find((o) => o.idempotencyKey === `${failed.flowId}:createOrder:DO`)!.deleted).toBe(true);
  });
});

describe('an http step across a restart', () => {
  const partner = new FakePartnerServer(PARTNER_AUTH);
  let data: Awaited<ReturnType<typeof keptDataDir>>;
  let t: TestApp | undefined;

  beforeAll(async () => {
    await partner.start();
    data = await keptDataDir();
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
    await partner.stop();
    data?.remove();
  });

  it('resumes a retry that was waiting out its backoff: exactly one more call, with the same Idempotency-Key', async () => {
    t = await startEngineApp(partnerEnv(partner, data.env()));
    await registerTemplate(t, 'restartedOrder', [
      { seq: 1, name: 'createOrder', handler: createOrder, retry: { maxAttempts: 3, initialDelaySeconds: 2 } },
    ]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 503, body: { message: 'maintenance' } });
    const flowId = await startRun(t, 'restartedOrder', { sku: 'R-1' });
    await eventually(async () => {
      const [job] = await jobsOf(t!, flowId);
      return job?.status === 'PENDING_LAUNCH' && job.launchAttempts === 1 ? job : undefined;
    }, 5000, 'the first call to fail and its retry to be scheduled');
    await t.close();
    t = undefined;
    expect(partner.calls('POST', /^\/api\/orders$/)).toHaveLength(1);

    t = await startEngineApp(partnerEnv(partner, data.env()));
    const run = await waitForRun(t, flowId, 'COMPLETED', 15_000);
    expect(timeline(run)).toEqual(['DO:createOrder:SUCCEEDED']);
    const calls = partner.calls('POST', /^\/api\/orders$/);
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual([`${flowId}:createOrder:DO`, `${flowId}:createOrder:DO`]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(2000);
    expect(partner.orders.filter((o) => o.idempotencyKey === `${flowId}:createOrder:DO`)).toHaveLength(1);
    const [job] = await jobsOf(t, flowId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 2 });
  }, 2 * BOOT_TIMEOUT_MS);
});
