import type { StepCommand } from './command';
import { BatonHttpError } from './baton-client';
import { NonRetryableError } from './errors';
import { handleDelivery, type DeliveryDeps, type StepFn } from './handle-delivery';
import type { WorkerLogger } from './logger';
import { MemoryResultStore } from './result-store';
import type { Delivery } from './transports/transport';
import type { WireCommand, WireReply } from './wire';

function command(overrides: Partial<WireCommand> = {}): WireCommand {
  return {
    flowId: 'f1', orchName: 'o', stepName: 's', action: 'DO', attempt: 1, commandId: 'c1', objectType: 'String',
    payload: { a: 1 }, payloadEncoding: 'json', outputs: {}, correlationId: 'corr', idempotencyKey: 'f1:s:DO',
    deadline: new Date(Date.now() + 60_000).toISOString(), ...overrides,
  };
}

class FakeDelivery implements Delivery {
  readonly replies: WireReply[] = [];
  readonly heartbeats: WireReply[] = [];
  dropped = false;
  abandoned = 0;
  failSettle?: Error;
  constructor(readonly command: WireCommand) {}
  async settle(reply: WireReply) {
    if (this.failSettle) throw this.failSettle;
    this.replies.push(reply);
  }
  async drop() { this.dropped = true; }
  async heartbeat(reply: WireReply) { this.heartbeats.push(reply); }
  async abandon() { this.abandoned++; }
}

const logged: string[] = [];
const logger: WorkerLogger = {
  info: (_f, m) => logged.push(`info ${m}`), warn: (_f, m) => logged.push(`warn ${m}`), error: (_f, m) => logged.push(`error ${m}`),
};

function deps(fn: StepFn | undefined, store = new MemoryResultStore()): DeliveryDeps {
  return { handlerFor: () => fn, store, logger, autoHeartbeatMs: 0 };
}

describe('handleDelivery', () => {
  beforeEach(() => { logged.length = 0; });

  it('replies SUCCESS with the return value as output and records it under the idempotency key', async () => {
    const store = new MemoryResultStore();
    const d = new FakeDelivery(command());
    await handleDelivery(d, deps((cmd) => ({ got: (cmd.payload as { a: number }).a }), store));
    expect(d.replies).toEqual([expect.objectContaining({ commandId: 'c1', metadata: { status: 'SUCCESS', error: null }, output: { got: 1 } })]);
    expect(await store.get('f1:s:DO')).toEqual({ output: { got: 1 } });
  });

  it('replays a recorded result instead of running the handler again (a retry or redelivery)', async () => {
    const store = new MemoryResultStore();
    await store.put('f1:s:DO', { output: { first: true } });
    const fn = jest.fn();
    const d = new FakeDelivery(command({ attempt: 2, commandId: 'c2' }));
    await handleDelivery(d, deps(fn, store));
    expect(fn).not.toHaveBeenCalled();
    expect(d.replies[0]).toEqual(expect.objectContaining({ commandId: 'c2', attempt: 2, output: { first: true } }));
  });

  it('replies FAILED with the message, and marks NonRetryableError so Baton skips the retries', async () => {
    const plain = new FakeDelivery(command());
    await handleDelivery(plain, deps(() => { throw new Error('flaky'); }));
    expect(plain.replies[0].metadata).toEqual({ status: 'FAILED', error: 'flaky', nonRetryable: undefined });
    const final = new FakeDelivery(command());
    await handleDelivery(final, deps(() => { throw new NonRetryableError('bad input'); }));
    expect(final.replies[0].metadata).toEqual({ status: 'FAILED', error: 'bad input', nonRetryable: true });
  });

  it('does not record a failure, so the next attempt runs the handler', async () => {
    const store = new MemoryResultStore();
    await handleDelivery(new FakeDelivery(command()), deps(() => { throw new Error('x'); }, store));
    expect(await store.get('f1:s:DO')).toBeUndefined();
  });

  it('drops an expired command without running it, and logs it', async () => {
    const fn = jest.fn();
    const d = new FakeDelivery(command({ deadline: new Date(Date.now() - 1).toISOString() }));
    await handleDelivery(d, deps(fn));
    expect(fn).not.toHaveBeenCalled();
    expect(d.dropped).toBe(true);
    expect(d.replies).toEqual([]);
    expect(logged).toContain('warn command expired before it was handled: dropped');
  });

  it('fails a command no handler is declared for, without retries', async () => {
    const d = new FakeDelivery(command());
    await handleDelivery(d, deps(undefined));
    expect(d.replies[0].metadata).toEqual(expect.objectContaining({ status: 'FAILED', nonRetryable: true }));
  });

  it('records the result before replying, so a reply that is not confirmed is replayed next time', async () => {
    const store = new MemoryResultStore();
    const d = new FakeDelivery(command());
    d.failSettle = new Error('connection refused');
    const fn = jest.fn(() => ({ v: 1 }));
    await handleDelivery(d, deps(fn, store));
    expect(logged.some((l) => l.startsWith('error reply not confirmed'))).toBe(true);
    const again = new FakeDelivery(command({ commandId: 'c1' }));
    await handleDelivery(again, deps(fn, store));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(again.replies[0].output).toEqual({ v: 1 });
  });

  it('treats a 404 on settle as settled by another copy (info, not error)', async () => {
    const d = new FakeDelivery(command());
    d.failSettle = new BatonHttpError(404, '{}', 'POST reply');
    await handleDelivery(d, deps(() => 1));
    expect(logged).toContain('info command already settled by another copy');
    expect(d.abandoned).toBe(0);
  });

  it('gives the command back when the result store fails before any reply', async () => {
    const d = new FakeDelivery(command());
    const store = new MemoryResultStore();
    store.get = () => Promise.reject(new Error('store unreachable'));
    await handleDelivery(d, deps(() => 1, store));
    expect(d.replies).toEqual([]);
    expect(d.abandoned).toBe(1);
  });

  it('fails for good an output JSON cannot carry, and records nothing', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const output of [{ total: 10n }, cycle]) {
      const store = new MemoryResultStore();
      const d = new FakeDelivery(command());
      await handleDelivery(d, deps(() => output, store));
      const failed = { status: 'FAILED', error: expect.stringMatching(/^OUTPUT_NOT_JSON: .*(BigInt|circular)/), nonRetryable: true };
      expect(d.replies).toEqual([expect.objectContaining({ metadata: failed, output: undefined })]);
      expect(await store.get('f1:s:DO')).toBeUndefined();
    }
  });

  it('fails a handler still running after handlerTimeoutMs, stops its heartbeats, aborts its signal, and holds on until it ends', async () => {
    let signal!: AbortSignal;
    let finish!: () => void;
    const fn = (cmd: StepCommand) => { signal = cmd.signal; return new Promise((resolve) => { finish = () => resolve({ late: true }); }); };
    const store = new MemoryResultStore();
    const d = new FakeDelivery(command());
    let done = false;
    const handled = handleDelivery(d, { ...deps(fn, store), autoHeartbeatMs: 10, handlerTimeoutMs: 100 }).then(() => { done = true; });
    try {
      await new Promise((r) => setTimeout(r, 160));
      expect(d.replies).toEqual([expect.objectContaining({
        metadata: { status: 'FAILED', error: 'HANDLER_TIMEOUT: the handler ran longer than handlerTimeoutMs (100 ms)' },
      })]);
      expect(signal.aborted).toBe(true);
      const beats = d.heartbeats.length;
      expect(beats).toBeGreaterThan(3);
      await new Promise((r) => setTimeout(r, 50));
      expect([d.heartbeats.length, done]).toEqual([beats, false]);
    } finally {
      finish(); // also when an expectation failed: a handler left pending would keep the test process alive
      await handled;
    }
    expect(await store.get('f1:s:DO')).toBeUndefined();
    expect(logged).toContain('warn a handler that timed out has now returned; its result is dropped');
  });

  it('lets a handler within handlerTimeoutMs succeed as usual', async () => {
    const d = new FakeDelivery(command());
    await handleDelivery(d, { ...deps(async () => ({ ok: 1 })), handlerTimeoutMs: 1000 });
    expect(d.replies[0]).toMatchObject({ metadata: { status: 'SUCCESS' }, output: { ok: 1 } });
  });

  it('gives the handler a decoded payload and a heartbeat that sends HEARTBEAT replies', async () => {
    const d = new FakeDelivery(command({ payload: Buffer.from('hi').toString('base64'), payloadEncoding: 'base64' }));
    await handleDelivery(d, deps(async (cmd) => {
      expect(Buffer.isBuffer(cmd.payload) && cmd.payload.toString()).toBe('hi');
      expect(cmd.deadline).toBeInstanceOf(Date);
      await cmd.heartbeat();
    }));
    expect(d.heartbeats[0].metadata.status).toBe('HEARTBEAT');
    expect(d.replies[0].metadata.status).toBe('SUCCESS');
  });
});
