import 'reflect-metadata';
import { loadHandlersConfig } from '../handlers-config';
import type { StepCommand } from '../../engine/dispatch/step-command';
import type { HandlerSpec } from '../../registry/entities/step-template.entity';
import { planUndoAfterDo } from '../deferred-undo';
import { planHttpCall } from './plan-http-call';

const command = (handler: HandlerSpec, overrides: Partial<StepCommand> = {}): StepCommand => ({
  flowId: '3f0c2a4e-8d1b-4c6a-9e2f-7a5b3c1d0e9f', orchName: 'orders', stepName: 'createOrder', action: 'DO', attempt: 1,
  commandId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e', objectType: 'String', payload: { email: 'ops@example.com', size: 2 },
  payloadEncoding: 'json', outputs: {}, correlationId: 'corr-1', handler, notBefore: new Date('2026-12-01T10:00:00Z'), timeoutSeconds: 300,
  ...overrides,
});

describe('planning an http call', () => {
  const config = loadHandlersConfig({
    HTTP_CONNECTIONS: 'erp', HTTP_ERP_BASE_URL: 'https://erp.example.com/api', HTTP_ERP_TOKEN: 'erp-token', HTTP_ERP_TIMEOUT_MS: '8000',
  });
  const now = new Date('2026-12-01T10:00:00Z');
  const spec = {
    type: 'http', connection: 'erp', method: 'POST', path: '/customers/${payload.email}/orders', query: { size: '${payload.size}' },
    headers: { 'X-Flow': '${flowId}' }, body: { size: '${payload.size}' }, timeoutMs: 60_000,
  };

  it('fills in the placeholders, encodes path values, and takes the step\'s retry policy', () => {
    const c = command(spec, { retry: { maxAttempts: 4, backoff: 'fixed', initialDelaySeconds: 0.5, maxDelaySeconds: 10 } });
    const job = planHttpCall(c, config, now);
    expect(job).toMatchObject({
      targetType: 'HTTP', connection: 'erp', status: 'PENDING_LAUNCH', resourceType: 'request',
      resourceId: 'POST /customers/ops%40example.com/orders',
      requestPayload: { method: 'POST', path: '/customers/ops%40example.com/orders', query: { size: '2' }, headers: { 'X-Flow': c.flowId }, body: { size: 2 } },
      options: { retry: { maxAttempts: 4, initialDelayMs: 500, multiplier: 1, maxDelayMs: 10_000 }, http: { timeoutMs: 8000, outputHeaders: [] } },
    });
  });

  it('fails the call of a template whose owner the connection is not open to (HTTP_ERP_SERVICES), naming the variable', () => {
    const closed = loadHandlersConfig({ HTTP_CONNECTIONS: 'erp', HTTP_ERP_BASE_URL: 'https://erp.example.com/api', HTTP_ERP_SERVICES: 'orders' });
    expect(planHttpCall(command(spec, { ownerService: 'shop' }), closed, now)).toMatchObject({
      status: 'FAILED', error: 'the step names HTTP connection "erp", which is not open to shop (HTTP_ERP_SERVICES)',
    });
    expect(planHttpCall(command(spec, { ownerService: 'orders' }), closed, now)).toMatchObject({ status: 'PENDING_LAUNCH' });
  });

  it('retries with the HANDLER_LAUNCH_* defaults when the step declares no retry policy', () => {
    expect(planHttpCall(command(spec), config, now).options?.retry).toEqual({ maxAttempts: 5, initialDelayMs: 5000, multiplier: 2, maxDelayMs: 120_000 });
  });

  it.each([
    [{ ...spec, connection: 'crm' }, {}, /HTTP connection 'crm' is not configured \(configured: erp\)/],
    [{ ...spec, path: '/x/${payload.nope}' }, {}, /payload has no field 'nope'/],
    [{ ...spec, path: '/x/${payload.email}' }, { payload: { email: '..', size: 1 } }, /\. or \.\. segments/],
    // Encoded into the path as %252e%252e: a server that decodes twice would resolve it as `..`.
    [{ ...spec, path: '/x/${payload.email}' }, { payload: { email: '%2e%2e', size: 1 } }, /\. or \.\. segments/],
    [{ ...spec, headers: { 'X-A': '${payload.email}' } }, { payload: { email: 'a\r\nHost: evil', size: 1 } }, /headers.X-A must not contain CR, LF or NUL/],
    [{ ...spec, path: 'https://evil/x' }, {}, /invalid http handler: path must be a path under the connection/],
  ])('fails the step rather than make a call it must not (%#)', (handler, overrides, reason) => {
    const job = planHttpCall(command(handler, overrides), config, now);
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(reason);
  });

  it('plans an UNDO that waits for the DO and then calls, or only waits without an undo call', () => {
    const undo = { type: 'http', connection: 'erp', method: 'DELETE', path: '/orders/${payload.size}' };
    const withCall = planHttpCall(command({ type: 'http', do: spec, undo }, { action: 'UNDO' }), config, now);
    expect(withCall).toMatchObject({ status: 'CANCELLING', requestPayload: { method: 'DELETE', path: '/orders/2' }, error: null });
    const waitOnly = planHttpCall(command({ type: 'http', do: spec, undo: false }, { action: 'UNDO' }), config, now);
    expect(waitOnly).toMatchObject({ status: 'CANCELLING', connection: 'erp', options: { cancelOnly: true } });
  });

  it("keeps an UNDO that refers to the step's own output, sent while the DO runs, to be planned with the DO's output", () => {
    const undo = { type: 'http', connection: 'erp', method: 'DELETE', path: '/orders/${steps.createOrder.output.body.orderId}' };
    const c = command({ type: 'http', do: spec, undo }, { action: 'UNDO' });
    const waiting = planHttpCall(c, config, now);
    expect(waiting).toMatchObject({ status: 'CANCELLING', requestPayload: null, error: expect.stringMatching(/no output of step 'createOrder'/) });
    const { notBefore: _notBefore, ...kept } = c;
    expect(waiting.options).toEqual({ deferredUndo: { kind: 'http', command: kept } });
    const planned = planUndoAfterDo(waiting.options!.deferredUndo!, { status: 201, body: { orderId: 'o 7' } }, config, now);
    expect(planned).toMatchObject({ status: 'CANCELLING', requestPayload: { method: 'DELETE', path: '/orders/o%207' }, error: null });
    // A typo stays a typo: only what the DO's output can resolve is kept for later.
    expect(planHttpCall(command({ type: 'http', do: spec, undo: { ...undo, connection: 'crm' } }, { action: 'UNDO' }), config, now).options).toBeNull();
  });
});
