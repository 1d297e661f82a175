import { HttpTransport } from './transports/http-transport';
import { createWorker } from './worker';
import { command, control, delivery, handTransport, leasingOnce, settled, until } from './worker.fixtures';

describe('a worker handling commands: copies, time-outs, concurrency, outputs, and what it logs', () => {
  it('runs two copies of one command one after the other, the second replaying the first\'s result', async () => {
    const { transport, deliver } = handTransport();
    let finish!: () => void;
    const handler = jest.fn(() => new Promise((resolve) => (finish = () => resolve({ charged: 1 }))));
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport }).step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const first = delivery();
    const second = delivery();
    deliver(first);
    deliver(second);
    await settled();
    expect(handler).toHaveBeenCalledTimes(1);
    finish();
    await until(() => second.settle.mock.calls.length === 1);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(second.settle).toHaveBeenCalledWith(expect.objectContaining({ output: { charged: 1 } }));
    await worker.stop();
  });

  it('runs the retry of a step whose handler timed out once it has had handlerTimeoutMs more, beside the hung handler, which keeps its slot', async () => {
    const { transport, deliver, inUse } = handTransport();
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    let finishHung!: () => void;
    const handler = jest.fn((cmd: { attempt: number }) => (cmd.attempt === 1
      ? new Promise((resolve) => (finishHung = () => resolve('late')))
      : { charged: cmd.attempt }));
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, handlerTimeoutMs: 50 })
      .step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const first = delivery();
    deliver(first);
    await until(() => first.settle.mock.calls.length === 1);
    expect(first.settle).toHaveBeenCalledWith(expect.objectContaining({ metadata: expect.objectContaining({ error: expect.stringMatching(/^HANDLER_TIMEOUT/) }) }));
    // Baton's retry: the same idempotencyKey, the next attempt.
    const retry = delivery({ command: { ...command, attempt: 2, commandId: 'c2' } });
    deliver(retry);
    try {
      await until(() => retry.settle.mock.calls.length === 1);
      expect(retry.settle).toHaveBeenCalledWith(expect.objectContaining({ attempt: 2, output: { charged: 2 } }));
      expect(inUse()).toBe(1); // the hung handler's, until it really ends
    } finally {
      finishHung();
      await worker.stop();
    }
    expect(inUse()).toBe(0);
  });

  it('replays to the retry of a step whose handler timed out the success that handler returned late, instead of running it again', async () => {
    const { transport, deliver } = handTransport();
    let finishLate!: () => void;
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const handler = jest.fn(() => new Promise((resolve) => (finishLate = () => resolve({ charged: 'late' }))));
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, handlerTimeoutMs: 200 })
      .step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const first = delivery();
    deliver(first);
    try {
      await until(() => first.settle.mock.calls.length === 1);
      finishLate();
      await until(() => logger.warn.mock.calls.some(([, m]) => String(m).includes('its result is recorded')));
      // Baton's retry (the same idempotencyKey), after its backoff.
      const retry = delivery({ command: { ...command, attempt: 2, commandId: 'c2' } });
      deliver(retry);
      await until(() => retry.settle.mock.calls.length === 1);
      expect(retry.settle).toHaveBeenCalledWith(expect.objectContaining({ attempt: 2, metadata: { status: 'SUCCESS', error: null }, output: { charged: 'late' } }));
      expect(handler).toHaveBeenCalledTimes(1);
    } finally {
      finishLate();
      await worker.stop();
    }
  });

  it('runs no more handlers at once than its concurrency, even when a transport delivers more (a RabbitMQ reconnect)', async () => {
    const { transport, deliver, inUse } = handTransport();
    const finishers: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const handler = () => new Promise((resolve) => {
      most = Math.max(most, ++running);
      finishers.push(() => { running--; resolve(1); });
    });
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, concurrency: 2 })
      .step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const deliveries = [1, 2, 3, 4].map((n) => delivery({ command: { ...command, commandId: `c${n}`, idempotencyKey: `i${n}` } }));
    deliveries.forEach(deliver);
    await settled();
    expect([running, inUse()]).toEqual([2, 2]);
    while (finishers.length) {
      finishers.shift()!();
      await settled();
    }
    await until(() => deliveries.every((d) => d.settle.mock.calls.length === 1));
    expect(most).toBe(2);
    await worker.stop();
  });

  it('holds outputs to the transport\'s reply limit, or to maxReplyBytes when given', async () => {
    const outcomes: string[] = [];
    for (const maxReplyBytes of [undefined, 10_000]) {
      const { transport, deliver } = handTransport({ maxReplyBytes: 300 });
      const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, maxReplyBytes, logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn() } })
        .step('order', 'charge', { objectType: 'Order', do: () => ({ blob: 'x'.repeat(500) }) });
      await worker.start();
      const d = delivery();
      deliver(d);
      await until(() => d.settle.mock.calls.length === 1);
      outcomes.push(`${d.settle.mock.calls[0][0].metadata.status} ${d.settle.mock.calls[0][0].metadata.error ?? ''}`.trim());
      await worker.stop();
    }
    expect(outcomes).toEqual([expect.stringMatching(/^SUCCESS OUTPUT_REFUSED: .*over maxReplyBytes \(300\)$/), 'SUCCESS']);
  });

  it('sends any size of output over HTTP unless maxReplyBytes is given: Baton answers what its BODY_LIMIT_BYTES refuses with a 413', async () => {
    const replies: Array<{ metadata: { status: string } }> = [];
    const client = leasingOnce((body) => {
      replies.push(body as (typeof replies)[number]);
      return { outcome: 'applied' };
    });
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const worker = createWorker({ service: 'shop', control, handleSignals: false, logger, transport: new HttpTransport(client, logger) })
      .step('order', 'charge', { objectType: 'Order', do: () => ({ blob: 'x'.repeat(2 * 1024 * 1024) }) });
    await worker.start();
    await until(() => replies.length === 1);
    await worker.stop();
    expect(replies[0].metadata.status).toBe('SUCCESS');
  });

  it('takes only a positive integer as maxReplyBytes', () => {
    for (const maxReplyBytes of [0, -1, 1.5, Number.NaN]) {
      expect(() => createWorker({ service: 'shop', control, maxReplyBytes })).toThrow('maxReplyBytes must be a positive integer');
    }
  });

  it('logs expired commands once per burst, and what it counted when it stops', async () => {
    const { transport, deliver } = handTransport();
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await worker.start();
    const expired = [1, 2, 3].map((n) => delivery({ command: { ...command, flowId: `f${n}`, commandId: `c${n}`, idempotencyKey: `i${n}`, deadline: new Date(0).toISOString() } }));
    expired.forEach(deliver);
    await settled();
    await worker.stop();
    expect(logger.warn.mock.calls).toEqual([
      [expect.objectContaining({ flowId: 'f1' }), 'command expired before it was handled: dropped'],
      [{ dropped: 2, flowIds: ['f2', 'f3'] }, expect.stringMatching(/^2 more command\(s\) expired/)],
    ]);
  });

  it('says a reply failed because the worker had stopped, as a warning, when stop() gave up on its handler', async () => {
    let closed = false;
    const { transport, deliver } = handTransport({ close: async () => void (closed = true) });
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    let finish!: () => void;
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, drainTimeoutMs: 20 })
      .step('order', 'charge', { objectType: 'Order', do: () => new Promise((resolve) => (finish = () => resolve(1))) });
    await worker.start();
    const late = delivery({ settle: jest.fn(async () => (closed ? Promise.reject(new Error('This operation was aborted')) : undefined)) });
    deliver(late);
    await settled();
    await worker.stop();
    finish();
    await until(() => late.settle.mock.calls.length === 1);
    await settled();
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenLastCalledWith(expect.objectContaining({ flowId: 'f1' }),
      'the worker stopped before the reply was confirmed, the command will come again: This operation was aborted');
  });

  it('logs a give-back that failed, frees its slot and runs the next copy', async () => {
    const { transport, deliver, inUse } = handTransport();
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await worker.start();
    const failing = delivery({ settle: jest.fn(async () => Promise.reject(new Error('broker gone'))), abandon: async () => Promise.reject(new Error('channel closed')) });
    const next = delivery();
    deliver(failing);
    deliver(next);
    await until(() => next.settle.mock.calls.length === 1);
    await until(() => inUse() === 0);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ flowId: 'f1' }), 'giving the command back failed: channel closed');
    await worker.stop();
  });
});
