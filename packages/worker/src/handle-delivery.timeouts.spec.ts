import { setTimeout as sleep } from 'node:timers/promises';
import type { StepCommand } from './command';
import { BatonHttpError, HeldBackError } from './baton-client';
import { AttemptEndedError } from './errors';
import { handleDelivery } from './handle-delivery';
import { command, deps, FakeDelivery, logged } from './handle-delivery.fixtures';
import { MemoryResultStore } from './result-store';

/** Handlers that run long: handlerTimeoutMs, heartbeats, the signal, and late results. */
describe('handleDelivery: time limits and heartbeats', () => {
  beforeEach(() => { logged.length = 0; });

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
      // They ran (every 10 ms; on a loaded machine timers may run late, so not a count of them) …
      expect(beats).toBeGreaterThan(0);
      // … and stopped with the timeout.
      await new Promise((r) => setTimeout(r, 50));
      expect([d.heartbeats.length, done]).toEqual([beats, false]);
    } finally {
      finish(); // also when an expectation failed: a handler left pending would keep the test process alive
      await handled;
    }
    // What it returned at last is recorded for the step's retry (below).
    expect(await store.get('f1:s:DO')).toEqual({ output: { late: true } });
    expect(logged).toContain('warn a handler that timed out has now returned; its result is recorded for the step\'s retry to replay');
  });

  it('records the late success of a handler that timed out, so that the step\'s retry replays it instead of running the effect again', async () => {
    const store = new MemoryResultStore();
    let effects = 0;
    const fn = jest.fn(async () => {
      await sleep(150); // past handlerTimeoutMs: the step fails, but the effect happens
      effects++;
      return { realmId: 'r1' };
    });
    const first = new FakeDelivery(command());
    await handleDelivery(first, { ...deps(fn, store), handlerTimeoutMs: 50 });
    expect(first.replies.map((r) => r.metadata.error)).toEqual([expect.stringMatching(/^HANDLER_TIMEOUT: /)]);
    // Baton's retry: a new commandId, the same idempotencyKey.
    const retry = new FakeDelivery(command({ commandId: 'c2', attempt: 2 }));
    await handleDelivery(retry, { ...deps(fn, store), handlerTimeoutMs: 50 });
    expect([fn.mock.calls.length, effects]).toEqual([1, 1]);
    expect(retry.replies).toEqual([expect.objectContaining({ commandId: 'c2', metadata: { status: 'SUCCESS', error: null }, output: { realmId: 'r1' } })]);
  });

  it('records a late output Baton would refuse as a success without it, and nothing of a late throw', async () => {
    const refusedStore = new MemoryResultStore();
    await handleDelivery(new FakeDelivery(command()), { ...deps(async () => { await sleep(80); return { name: 'a\u0000b' }; }, refusedStore), handlerTimeoutMs: 20 });
    expect(await refusedStore.get('f1:s:DO')).toEqual({ output: undefined, droppedBecause: expect.stringMatching(/^OUTPUT_REFUSED: output.name contains a NUL/) });
    const thrownStore = new MemoryResultStore();
    await handleDelivery(new FakeDelivery(command()), { ...deps(async () => { await sleep(80); throw new Error('too late'); }, thrownStore), handlerTimeoutMs: 20 });
    expect(await thrownStore.get('f1:s:DO')).toBeUndefined();
    expect(await thrownStore.getFailure('c1')).toEqual({ error: expect.stringMatching(/^HANDLER_TIMEOUT: /), nonRetryable: false });
    expect(logged).toContain('warn a handler that timed out has now thrown (too late); its HANDLER_TIMEOUT stands');
  });

  it("frees the key of a timed-out handler at once: a retry held behind it would wait past its own deadline, without heartbeats", async () => {
    let finish!: () => void;
    const releaseKey = jest.fn();
    const handled = handleDelivery(new FakeDelivery(command()),
      { ...deps(() => new Promise((resolve) => (finish = () => resolve(1)))), handlerTimeoutMs: 50, releaseKey });
    try {
      for (let i = 0; i < 100 && releaseKey.mock.calls.length === 0; i++) await sleep(5);
      expect(releaseKey).toHaveBeenCalledTimes(1);
    } finally {
      finish();
      await handled;
    }
  });

  it('aborts the signal of a handler whose attempt Baton no longer waits for, and stops its auto heartbeats', async () => {
    let signal!: AbortSignal;
    let finish!: () => void;
    const fn = (cmd: StepCommand) => { signal = cmd.signal; return new Promise((resolve) => { finish = () => resolve({ late: true }); }); };
    const d = new FakeDelivery(command({ attempt: 2 }));
    const handled = handleDelivery(d, { ...deps(fn), autoHeartbeatMs: 10 });
    try {
      for (let i = 0; i < 200 && d.heartbeats.length < 2; i++) await sleep(5);
      expect(signal.aborted).toBe(false);
      d.heartbeatAnswer = 'ended'; // an operator terminated the run
      for (let i = 0; i < 200 && !signal.aborted; i++) await sleep(5);
      expect([signal.aborted, (signal.reason as AttemptEndedError).code]).toEqual([true, 'ATTEMPT_ENDED']);
      expect(logged).toContain('warn ATTEMPT_ENDED: Baton no longer waits for attempt 2 (it timed out, or its run was terminated): its cmd.signal is aborted');
      const beats = d.heartbeats.length;
      await sleep(60);
      expect(d.heartbeats).toHaveLength(beats);
    } finally {
      finish();
      await handled;
    }
  });

  it('replays HANDLER_TIMEOUT to a duplicate of a timed-out command, without running the handler again, while the first still runs', async () => {
    const finishers: Array<() => void> = [];
    const fn = jest.fn(() => new Promise((resolve) => { finishers.push(() => resolve({ late: true })); }));
    const store = new MemoryResultStore();
    const first = new FakeDelivery(command());
    const duplicate = new FakeDelivery(command());
    const handled = [handleDelivery(first, { ...deps(fn, store), handlerTimeoutMs: 50 })];
    try {
      for (let i = 0; i < 200 && first.replies.length === 0; i++) await sleep(5);
      handled.push(handleDelivery(duplicate, { ...deps(fn, store), handlerTimeoutMs: 50 }));
      for (let i = 0; i < 200 && duplicate.replies.length === 0; i++) await sleep(5);
      expect(fn).toHaveBeenCalledTimes(1);
      expect(first.replies).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ error: expect.stringMatching(/^HANDLER_TIMEOUT: /) }) })]);
      expect(duplicate.replies).toStrictEqual(first.replies);
    } finally {
      finishers.forEach((finish) => finish()); // also when an expectation failed: a pending handler would keep the test process alive
      await Promise.all(handled);
    }
  });

  it('does not keep the process alive through the auto heartbeats of a handler that hangs', async () => {
    const setInterval = jest.spyOn(global, 'setInterval');
    try {
      let finish!: () => void;
      const handled = handleDelivery(new FakeDelivery(command()), { ...deps(() => new Promise<void>((resolve) => (finish = resolve))), autoHeartbeatMs: 10 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(setInterval.mock.results.map((r) => (r.value as NodeJS.Timeout).hasRef())).toEqual([false]);
      finish();
      await handled;
    } finally {
      setInterval.mockRestore();
    }
  });

  it('stops the auto heartbeats of a handler still running once the worker has stopped: they could only fail', async () => {
    const d = new FakeDelivery(command());
    let stopped = false;
    let finish!: () => void;
    const handled = handleDelivery(d, { ...deps(() => new Promise<void>((resolve) => (finish = resolve))), autoHeartbeatMs: 5, stopped: () => stopped });
    for (let i = 0; i < 200 && d.heartbeats.length === 0; i++) await sleep(5);
    expect(d.heartbeats.length).toBeGreaterThan(0);
    stopped = true;
    await sleep(10);
    const sent = d.heartbeats.length;
    await sleep(50); // ten more ticks
    expect(d.heartbeats).toHaveLength(sent);
    finish();
    await handled;
  });

  it('sends one auto heartbeat at a time: a tick while one is still out (retried through a 503) is skipped', async () => {
    const d = new FakeDelivery(command());
    let release!: () => void;
    let sent = 0;
    d.heartbeat = () => { sent++; return new Promise<undefined>((resolve) => (release = () => resolve(undefined))); };
    let finish!: () => void;
    const handled = handleDelivery(d, { ...deps(() => new Promise<void>((resolve) => (finish = resolve))), autoHeartbeatMs: 5 });
    const sentAtLeast = async (n: number) => {
      for (let i = 0; i < 200 && sent < n; i++) await sleep(5);
      await sleep(50); // ten more ticks, each of which would send one were it not skipped
    };
    await sentAtLeast(1);
    expect(sent).toBe(1);
    release();
    await sentAtLeast(2);
    expect(sent).toBe(2);
    release();
    finish();
    await handled;
  });

  it('resolves cmd.heartbeat() when the heartbeat cannot be sent (a 503, a broker reconnecting), logging it once: the step still succeeds', async () => {
    const d = new FakeDelivery(command());
    d.heartbeat = async () => { throw new BatonHttpError(503, '{"code":"UNAVAILABLE","message":"database down"}', 'POST /reply'); };
    await handleDelivery(d, deps(async (cmd) => {
      await cmd.heartbeat();
      await cmd.heartbeat();
      return { ok: 1 };
    }));
    expect(d.replies).toEqual([expect.objectContaining({ metadata: { status: 'SUCCESS', error: null }, output: { ok: 1 } })]);
    expect(logged.filter((l) => l.includes('heartbeat failed'))).toEqual([
      expect.stringMatching(/^warn heartbeat failed, the handler goes on .*: POST \/reply answered 503/)]);
  });

  it.each([
    ['a 404 (the command gone: superseded, or its run)', new BatonHttpError(404, '{"code":"NOT_FOUND","message":"No command c1"}', 'POST /reply'),
      'warn', /^ATTEMPT_ENDED: Baton no longer waits for attempt 1 \(it knows no such command of this service: NOT_FOUND: No command c1\): its cmd.signal is aborted$/],
    ['a 401 (the key revoked)', new BatonHttpError(401, '{"code":"UNAUTHENTICATED","message":"API key k1 is revoked"}', 'POST /reply'),
      'error', /^HEARTBEAT_REFUSED: Baton refused the heartbeat of attempt 1 with 401 \(UNAUTHENTICATED: API key k1 is revoked\)/],
    ['a 403 (the key no longer allows the service)', new BatonHttpError(403, '{"code":"SERVICE_NAME_MISMATCH","message":"not yours"}', 'POST /reply'),
      'error', /^HEARTBEAT_REFUSED: Baton refused the heartbeat of attempt 1 with 403 \(SERVICE_NAME_MISMATCH: not yours\)/],
    ['one held back after another request\'s 401', new HeldBackError('POST /reply', 1000, 5, new BatonHttpError(401, '{"code":"UNAUTHENTICATED","message":"revoked"}', 'GET /commands')),
      'error', /^HEARTBEAT_REFUSED: Baton refused the heartbeat of attempt 1 with 401 \(UNAUTHENTICATED: revoked\)/],
  ])('aborts the signal when Baton answers a heartbeat with %s, logs it once with the command\'s ids, and resolves cmd.heartbeat()', async (_, refusal, level, message) => {
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const d = new FakeDelivery(command());
    let beats = 0;
    d.heartbeat = async () => { beats++; throw refusal; };
    let reasons: unknown[] = [];
    await handleDelivery(d, { ...deps(async (cmd) => {
      await cmd.heartbeat();
      await cmd.heartbeat(); // not sent: Baton would answer the same, and a refused key's count against its limiter
      reasons = [cmd.signal.aborted, (cmd.signal.reason as { code?: string }).code];
      return { ok: 1 };
    }), logger });
    expect(reasons).toEqual([true, level === 'warn' ? 'ATTEMPT_ENDED' : 'HEARTBEAT_REFUSED']);
    expect(beats).toBe(1);
    const lines = [...logger.warn.mock.calls, ...logger.error.mock.calls];
    expect(lines).toEqual([[{ flowId: 'f1', step: 's', action: 'DO', attempt: 1, correlationId: 'corr' }, expect.stringMatching(message)]]);
    expect(logger[level as 'warn' | 'error']).toHaveBeenCalledTimes(1);
    // The outcome is the handler's, as before: what Baton does with the reply is Baton's.
    expect(d.replies).toEqual([expect.objectContaining({ metadata: { status: 'SUCCESS', error: null }, output: { ok: 1 } })]);
  });

  it('stops the auto heartbeats once Baton answered one with a 404', async () => {
    let finish!: () => void;
    let signal!: AbortSignal;
    const d = new FakeDelivery(command());
    let beats = 0;
    d.heartbeat = async () => { beats++; throw new BatonHttpError(404, '{}', 'POST /reply'); };
    const handled = handleDelivery(d, { ...deps((cmd) => { signal = cmd.signal; return new Promise((resolve) => { finish = () => resolve(1); }); }), autoHeartbeatMs: 10 });
    try {
      for (let i = 0; i < 200 && !signal?.aborted; i++) await sleep(5);
      expect(signal.aborted).toBe(true);
      await sleep(60);
      expect(beats).toBe(1);
    } finally {
      finish();
      await handled;
    }
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
