import { FakePartnerServer } from '../fakes/fake-partner.server';
import type { Reply } from '../fakes/fake-http.server';
import { waitForRun } from '../helpers/runs';
import { registerTemplate, startRun, StepDoc, timeline } from './handlers/support/engine-app';
import { PARTNER_AUTH, usePartnerApp } from './handlers/support/partner-env';

/**
 * A partner that keeps the answer to each Idempotency-Key and answers it again to every later
 * call with that key, failures included (Stripe keeps 4xx and 500s of the requests it ran).
 * `rejectNext` makes it refuse the next calls (by method) that carry a key it has not seen: 400.
 */
class StoringPartner extends FakePartnerServer {
  readonly rejectNext: Record<string, number> = {};
  private readonly answers = new Map<string, Reply>();

  protected override route(method: string, pathAndQuery: string, body: unknown): Reply {
    const key = this.requests.at(-1)!.headers['idempotency-key'] as string | undefined;
    if (!key || method === 'GET') return super.route(method, pathAndQuery, body);
    const stored = this.answers.get(`${method} ${key}`);
    if (stored) return stored;
    let reply: Reply;
    if ((this.rejectNext[method] ?? 0) > 0) {
      this.rejectNext[method] -= 1;
      reply = { status: 400, body: { message: 'card declined' } };
    } else {
      reply = super.route(method, pathAndQuery, body);
    }
    this.answers.set(`${method} ${key}`, reply);
    return reply;
  }
}

const createOrder = { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: { n: 1 } };
const cancelOrder = { type: 'http', connection: 'erp', method: 'DELETE', path: '/orders/${steps.createOrder.output.body.orderId}' };

describe('the Idempotency-Key of an http step retried by an operator', () => {
  const partner = new StoringPartner(PARTNER_AUTH);
  const app = usePartnerApp(partner);

  const keysSent = (method: string, flowId: string) =>
    partner.calls(method, /^\/api\/orders/).map((r) => String(r.headers['idempotency-key'])).filter((k) => k.startsWith(flowId));
  const retry = (flowId: string, stepName: string) =>
    app().http.post(`/api/orchestration/runs/${flowId}/retry`).send({ stepName }).expect(202);

  /** The retry sent the key of the declined call, and the partner answered the stored 400 again: the step could never succeed. */
  it('sends a new key after a call the partner refused, so that the operator\'s retry can succeed', async () => {
    await registerTemplate(app(), 'declinedOnce', [{ seq: 1, name: 'createOrder', handler: createOrder, onFailure: 'pause' } as StepDoc]);
    partner.rejectNext.POST = 1;
    const flowId = await startRun(app(), 'declinedOnce');
    expect((await waitForRun(app(), flowId, 'PAUSED', 15_000)).steps[0].error).toBe('POST /api/orders failed (HTTP 400): card declined');

    await retry(flowId, 'createOrder');
    const run = await waitForRun(app(), flowId, 'COMPLETED', 15_000);
    expect(timeline(run)).toEqual(['DO:createOrder:FAILED', 'DO:createOrder:SUCCEEDED']);
    expect(keysSent('POST', flowId)).toEqual([`${flowId}:createOrder:DO`, `${flowId}:createOrder:DO:b2`]);
    expect(partner.orders.filter((o) => o.idempotencyKey?.startsWith(flowId))).toHaveLength(1);
  });

  it('keeps the key after a call whose outcome is unknown, so that the partner answers with the work it did', async () => {
    await registerTemplate(app(), 'slowOnce', [{
      seq: 1, name: 'createOrder', handler: { ...createOrder, timeoutMs: 200 }, retry: { maxAttempts: 2, initialDelaySeconds: 0.01 }, onFailure: 'pause',
    } as StepDoc]);
    partner.failNext('POST', /^\/api\/orders$/, { status: 201, delayMs: 800, body: {} }, { status: 201, delayMs: 800, body: {} });
    const flowId = await startRun(app(), 'slowOnce');
    expect((await waitForRun(app(), flowId, 'PAUSED', 15_000)).steps[0].error).toMatch(/^Call outcome unknown after 2 attempts: .*Idempotency-Key \S+:createOrder:DO and done the work$/);

    await retry(flowId, 'createOrder');
    await waitForRun(app(), flowId, 'COMPLETED', 15_000);
    expect(keysSent('POST', flowId)).toEqual(Array(3).fill(`${flowId}:createOrder:DO`));
  });

  it('sends a new key with the retry of an undo the partner refused', async () => {
    await registerTemplate(app(), 'undoDeclined', [
      { seq: 1, name: 'createOrder', handler: createOrder, undo: cancelOrder },
      { seq: 2, name: 'missing', handler: { type: 'http', connection: 'erp', method: 'POST', path: '/nowhere', body: {} } },
    ]);
    partner.rejectNext.DELETE = 1;
    const flowId = await startRun(app(), 'undoDeclined');
    await waitForRun(app(), flowId, 'COMPENSATION_FAILED', 15_000);

    await app().http.post(`/api/orchestration/undo/${flowId}`).expect(202);
    const run = await waitForRun(app(), flowId, 'FAILED', 15_000);
    expect(timeline(run)).toEqual(['DO:createOrder:SUCCEEDED', 'DO:missing:FAILED', 'UNDO:createOrder:FAILED', 'UNDO:createOrder:SUCCEEDED']);
    expect(keysSent('DELETE', flowId)).toEqual([`${flowId}:createOrder:UNDO`, `${flowId}:createOrder:UNDO:b2`]);
    expect(partner.orders.find((o) => o.idempotencyKey === `${flowId}:createOrder:DO`)!.deleted).toBe(true);
  });
});
