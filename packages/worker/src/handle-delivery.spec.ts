import type { StepCommand } from './command';
import { BatonHttpError } from './baton-client';
import { NonRetryableError } from './errors';
import { ExpiredDrops } from './expired-drops';
import { handleDelivery } from './handle-delivery';
import { command, deps, FakeDelivery, logged, logger } from './handle-delivery.fixtures';
import { MemoryResultStore, type ResultStore } from './result-store';
import { storeFailureStreak } from './store-failures';

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

  it('records the output as the JSON its reply carried: what the handler changes later, or a toJSON, is not replayed', async () => {
    const store = new MemoryResultStore();
    const toJSON = jest.fn(() => 'then');
    const output = { n: 1, at: { toJSON } };
    const first = new FakeDelivery(command());
    await handleDelivery(first, deps(() => output, store));
    output.n = 2;
    const duplicate = new FakeDelivery(command());
    await handleDelivery(duplicate, deps(jest.fn(), store));
    expect(duplicate.replies[0].output).toEqual({ n: 1, at: 'then' });
    expect(toJSON).toHaveBeenCalledTimes(1); // by the check that built the text, not again at the replay
  });

  it('records a failure by commandId only, never under the idempotency key that Baton\'s retry shares', async () => {
    const store = new MemoryResultStore();
    await handleDelivery(new FakeDelivery(command()), deps(() => { throw new Error('x'); }, store));
    expect(await store.get('f1:s:DO')).toBeUndefined();
    expect(await store.getFailure('c1')).toEqual({ error: 'x', nonRetryable: false });
  });

  it('replays the same FAILED reply to a duplicate delivery of a failed command (same commandId), without running the handler again', async () => {
    for (const thrown of [new Error('flaky'), new NonRetryableError('bad input')]) {
      const store = new MemoryResultStore();
      const fn = jest.fn(() => { throw thrown; });
      const first = new FakeDelivery(command());
      await handleDelivery(first, deps(fn, store));
      const duplicate = new FakeDelivery(command());
      await handleDelivery(duplicate, deps(fn, store));
      expect(fn).toHaveBeenCalledTimes(1);
      expect(first.replies).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ status: 'FAILED', error: thrown.message }) })]);
      // Strictly: `nonRetryable` left undefined, not turned into false, as the first reply had it.
      expect(duplicate.replies).toStrictEqual(first.replies);
    }
    expect(logged.filter((l) => l.startsWith('info'))).toEqual(Array(2).fill('info already failed: replaying the recorded failure'));
  });

  it('runs Baton\'s retry (same idempotencyKey, a new commandId, attempt + 1) although the failure of the attempt before is recorded', async () => {
    const store = new MemoryResultStore();
    let calls = 0;
    const fn = (cmd: StepCommand) => { calls++; if (cmd.attempt === 1) throw new Error('flaky'); return { calls }; };
    await handleDelivery(new FakeDelivery(command()), deps(fn, store));
    const duplicate = new FakeDelivery(command());
    await handleDelivery(duplicate, deps(fn, store));
    const retry = new FakeDelivery(command({ commandId: 'c2', attempt: 2 }));
    await handleDelivery(retry, deps(fn, store));
    expect(calls).toBe(2);
    expect(duplicate.replies[0].metadata).toEqual({ status: 'FAILED', error: 'flaky', nonRetryable: undefined });
    expect(retry.replies).toEqual([expect.objectContaining({ commandId: 'c2', attempt: 2, metadata: { status: 'SUCCESS', error: null }, output: { calls: 2 } })]);
  });

  it('records an output Baton refuses by idempotency key, without it: neither a duplicate nor Baton\'s retry runs the handler again', async () => {
    const store = new MemoryResultStore();
    const fn = jest.fn(() => ({ name: 'a\u0000b' }));
    const first = new FakeDelivery(command());
    await handleDelivery(first, deps(fn, store));
    const duplicate = new FakeDelivery(command());
    await handleDelivery(duplicate, deps(fn, store));
    // Baton timed the attempt out before the reply came: its retry is a new command with the same key.
    const retry = new FakeDelivery(command({ commandId: 'c2', attempt: 2 }));
    await handleDelivery(retry, deps(fn, store));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(duplicate.replies).toStrictEqual(first.replies);
    expect(retry.replies.map((r) => [r.commandId, r.metadata, r.output])).toEqual([
      ['c2', first.replies[0].metadata, undefined]]);
    expect(first.replies[0].metadata).toEqual({ status: 'SUCCESS', error: expect.stringMatching(/^OUTPUT_REFUSED: /), outputDropped: true });
    expect(await store.get('f1:s:DO')).toEqual({ output: undefined, droppedBecause: first.replies[0].metadata.error });
  });

  it('gives the command back unanswered when its failure cannot be recorded, as when a success cannot', async () => {
    const store = new MemoryResultStore();
    store.putFailure = () => Promise.reject(new Error('store unreachable'));
    const d = new FakeDelivery(command());
    await handleDelivery(d, deps(() => { throw new Error('flaky'); }, store));
    expect(d.replies).toEqual([]);
    expect(d.abandoned).toBe(1);
    expect(logged).toEqual(['warn handler failed: flaky', 'error result store failed, the command is given back: store unreachable']);
  });

  it("logs a store outage once for all of the worker's commands, with the first one's ids, and once more when the store works again", async () => {
    const store = new MemoryResultStore();
    const get = store.get.bind(store);
    let down = true;
    store.get = (key) => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : get(key));
    const errors = jest.fn();
    const shared = { ...deps(() => ({ ok: 1 }), store), logger: { ...logger, error: errors } };
    shared.storeFailures = storeFailureStreak(shared.logger);
    const deliveries = [1, 2, 3, 1, 2, 3].map((n) => new FakeDelivery(command({ flowId: `f${n}`, commandId: `c${n}`, idempotencyKey: `f${n}:s:DO` })));
    for (const d of deliveries) await handleDelivery(d, shared);
    expect(deliveries.map((d) => [d.replies.length, d.abandoned])).toEqual(Array(6).fill([0, 1]));
    expect(errors.mock.calls).toEqual([[
      expect.objectContaining({ flowId: 'f1', commandId: 'c1' }), 'result store failed, the command is given back: connect ECONNREFUSED 127.0.0.1:5432',
    ]]);
    down = false;
    for (const d of deliveries.slice(0, 3)) await handleDelivery(d, shared);
    expect(deliveries.slice(0, 3).map((d) => d.replies.length)).toEqual([1, 1, 1]);
    expect(logged).toEqual(['info the result store works again']);
    down = true;
    await handleDelivery(new FakeDelivery(command()), shared);
    expect(errors).toHaveBeenCalledTimes(2); // a new outage is told again
  });

  it('does not take a store that reads but cannot record for one that works again: one line for the whole outage', async () => {
    const store = new MemoryResultStore();
    store.put = () => Promise.reject(new Error('permission denied for table baton_worker_results'));
    const shared = deps(() => ({ ok: 1 }), store);
    for (let i = 0; i < 3; i++) await handleDelivery(new FakeDelivery(command()), shared);
    expect(logged).toEqual(['error result store failed, the command is given back: permission denied for table baton_worker_results']);
  });

  it('records no failure for a step it has no handler for: a copy reaching an instance that has one runs it', async () => {
    const store = new MemoryResultStore();
    await handleDelivery(new FakeDelivery(command()), deps(undefined, store));
    const fn = jest.fn(() => ({ ok: 1 }));
    const copy = new FakeDelivery(command());
    await handleDelivery(copy, deps(fn, store));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(copy.replies[0].metadata.status).toBe('SUCCESS');
  });

  it('keeps working with a store of its own that records successes only (written for an earlier SDK)', async () => {
    const inner = new MemoryResultStore();
    const store: ResultStore = { get: (key) => inner.get(key), put: (key, result) => inner.put(key, result) };
    const fn = jest.fn(() => { throw new Error('flaky'); });
    for (let i = 0; i < 2; i++) await handleDelivery(new FakeDelivery(command()), deps(fn, store));
    expect(fn).toHaveBeenCalledTimes(2);
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

  it('judges the deadline by Baton\'s clock when the transport knows it (a worker clock ten minutes ahead drops nothing fresh)', async () => {
    const fn = jest.fn(async () => ({}));
    // Fresh by Baton's clock, ten minutes behind this one: run, not dropped.
    const fresh = Object.assign(new FakeDelivery(command({ deadline: new Date(Date.now() - 300_000).toISOString() })), { batonClockAheadMs: -600_000 });
    await handleDelivery(fresh, deps(fn));
    expect([fresh.dropped, fn.mock.calls.length]).toEqual([false, 1]);
    // Expired by Baton's clock, ahead of this one: dropped though this clock says it is not due.
    const expired = Object.assign(new FakeDelivery(command({ deadline: new Date(Date.now() + 30_000).toISOString() })), { batonClockAheadMs: 60_000 });
    await handleDelivery(expired, deps(fn));
    expect([expired.dropped, fn.mock.calls.length]).toEqual([true, 1]);
  });

  it('fails a command no handler is declared for as retryable, and logs it as an error: a retry may reach an instance that has one', async () => {
    const d = new FakeDelivery(command());
    await handleDelivery(d, deps(undefined));
    expect(d.replies[0].metadata).toEqual({
      status: 'FAILED', error: 'NO_HANDLER: this instance declares no handler for o/s (an instance from before the step was added, or a run still on a template version that has the step after it was removed?)',
    });
    expect(logged).toContain('error NO_HANDLER: this instance declares no handler for o/s (an instance from before the step was added, or a run still on a template version that has the step after it was removed?)');
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

  it('warns on a 404 to a reply that this Baton instance did not apply it, naming the command, and does not give it back', async () => {
    const d = new FakeDelivery(command());
    d.failSettle = new BatonHttpError(404, '{}', 'POST reply');
    const warn = jest.fn();
    await handleDelivery(d, { ...deps(() => 1), logger: { ...logger, warn } });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ flowId: 'f1', step: 's', commandId: 'c1' }),
      expect.stringMatching(/^reply not applied by this Baton instance: .*POST reply answered 404/));
    expect(logged.filter((l) => !l.startsWith('warn'))).toEqual([]);
    expect(d.abandoned).toBe(0);
  });

  it('keeps a 404 to the drop of an expired command at info: there was no reply to apply', async () => {
    const d = new FakeDelivery(command({ deadline: new Date(Date.now() - 1).toISOString() }));
    d.drop = () => Promise.reject(new BatonHttpError(404, '{}', 'DELETE lease'));
    await handleDelivery(d, deps(jest.fn()));
    expect(logged).toEqual(['warn command expired before it was handled: dropped', 'info command already settled by another copy']);
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

  it('answers an output JSON cannot carry as a success without it (its work is done), and records that, not the output', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const [output, where] of [[{ total: 10n }, /output\.total is a BigInt/], [cycle, /output\.self is a cycle back to output,/]] as const) {
      const store = new MemoryResultStore();
      const d = new FakeDelivery(command());
      await handleDelivery(d, deps(() => output, store));
      const dropped = { status: 'SUCCESS', error: expect.stringMatching(new RegExp(`^OUTPUT_NOT_JSON: .*${where.source}`)), outputDropped: true };
      expect(d.replies).toEqual([expect.objectContaining({ metadata: dropped, output: undefined })]);
      expect(await store.get('f1:s:DO')).toEqual({ output: undefined, droppedBecause: d.replies[0].metadata.error });
    }
  });

  it('answers an output Baton refuses (a NUL, nesting past 100 levels, a reply over maxReplyBytes) as a success without it, recorded without it', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 101; i++) deep = { deep };
    const cases: Array<[unknown, RegExp]> = [
      [{ name: 'a\u0000b' }, /^OUTPUT_REFUSED: output\.name contains a NUL character/],
      [{ list: [{ 'k\u0000': 1 }] }, /^OUTPUT_REFUSED: output\.list\[0\]\["k\\u0000"\] key contains a NUL character/],
      [deep, /^OUTPUT_REFUSED: output nests deeper than 100 levels/],
      [{ blob: 'x'.repeat(2000) }, /^OUTPUT_REFUSED: the reply carrying the output is \d+ bytes of JSON, over maxReplyBytes \(1500\)/],
    ];
    for (const [output, error] of cases) {
      const store = new MemoryResultStore();
      const d = new FakeDelivery(command());
      await handleDelivery(d, { ...deps(() => output, store), maxReplyBytes: 1500 });
      expect(d.replies).toEqual([expect.objectContaining({ metadata: { status: 'SUCCESS', error: expect.stringMatching(error), outputDropped: true }, output: undefined })]);
      expect(await store.get('f1:s:DO')).toEqual({ output: undefined, droppedBecause: d.replies[0].metadata.error });
    }
    expect(logged.filter((l) => l.startsWith('warn OUTPUT_REFUSED'))).toHaveLength(4);
  });

  it('answers a recorded output Baton refuses as a success without it, instead of replaying it at every delivery', async () => {
    const store = new MemoryResultStore();
    await store.put('f1:s:DO', { output: { big: 'x'.repeat(2000) } });
    const d = new FakeDelivery(command());
    await handleDelivery(d, { ...deps(jest.fn(), store), maxReplyBytes: 1000 });
    expect(d.replies.map((r) => [r.metadata, r.output])).toEqual([[{ status: 'SUCCESS', error: expect.stringMatching(/^OUTPUT_REFUSED: /), outputDropped: true }, undefined]]);
  });

  it('replaces a success Baton refuses for what it carries (400, 413) by the success without its output, saying why', async () => {
    for (const status of [400, 413, 422]) {
      const d = new FakeDelivery(command());
      d.refusals = [new BatonHttpError(status, '{"code":"X"}', 'POST /reply')];
      await handleDelivery(d, deps(() => ({ ok: 1 })));
      expect(d.attempted.map((r) => [r.metadata.status, r.output])).toEqual([['SUCCESS', { ok: 1 }], ['SUCCESS', undefined]]);
      expect(d.replies).toEqual([expect.objectContaining({ commandId: 'c1', output: undefined, metadata: {
        status: 'SUCCESS', outputDropped: true,
        error: `REPLY_REFUSED: Baton refused the SUCCESS reply, and would refuse it again: POST /reply answered ${status}: {"code":"X"}`,
      } })]);
      expect(d.abandoned).toBe(0);
    }
  });

  it('replaces a failure Baton refuses by one final FAILED reply saying why', async () => {
    const d = new FakeDelivery(command());
    d.refusals = [new BatonHttpError(400, '{"code":"X"}', 'POST /reply')];
    await handleDelivery(d, deps(() => { throw new Error('flaky'); }));
    expect(d.replies.map((r) => r.metadata)).toEqual([{ status: 'FAILED', nonRetryable: true,
      error: 'REPLY_REFUSED: Baton refused the FAILED reply, and would refuse it again: POST /reply answered 400: {"code":"X"}' }]);
  });

  it('tries the FAILED replacement once: refused too, it is logged and given back', async () => {
    const d = new FakeDelivery(command());
    d.refusals = [new BatonHttpError(400, 'a', 'POST /reply'), new BatonHttpError(400, 'b', 'POST /reply')];
    await handleDelivery(d, deps(() => { throw new Error('flaky'); }));
    expect(d.attempted.map((r) => [r.metadata.status, r.metadata.nonRetryable])).toEqual([['FAILED', undefined], ['FAILED', true]]);
    expect(logged.filter((l) => l.startsWith('error'))).toEqual([expect.stringMatching(/^error reply not confirmed, .*answered 400: b$/)]);
    expect(d.abandoned).toBe(1);
  });

  it('does not replace a reply refused for a reason that may pass (401, 403, 408, 409, 429, 5xx): it comes again', async () => {
    for (const status of [401, 403, 408, 409, 429, 500, 503]) {
      const d = new FakeDelivery(command());
      d.refusals = [new BatonHttpError(status, '', 'POST /reply')];
      await handleDelivery(d, deps(() => 1));
      expect([status, d.attempted.length, d.abandoned]).toEqual([status, 1, 1]);
    }
  });

  it('says what a handler threw that is not an Error, instead of "[object Object]" or "undefined"', async () => {
    const circular: Record<string, unknown> = { n: 1n };
    circular.self = circular;
    const thrown: Array<[unknown, string | RegExp]> = [
      [{ code: 42 }, 'the handler threw { code: 42 }, not an Error'],
      [undefined, 'the handler threw undefined, not an Error'],
      [null, 'the handler threw null, not an Error'],
      [circular, /^the handler threw <ref \*1> \{ n: 1n, self: \[Circular \*1\] \}, not an Error$/],
      [Object.create(null), 'the handler threw [Object: null prototype] {}, not an Error'],
      ['plain text', 'plain text'],
    ];
    for (const [value, text] of thrown) {
      const d = new FakeDelivery(command());
      await handleDelivery(d, deps(() => { throw value; }));
      expect(d.replies[0].metadata.error).toEqual(typeof text === 'string' ? text : expect.stringMatching(text));
    }
    const huge = new FakeDelivery(command());
    await handleDelivery(huge, deps(() => { throw { rows: Array.from({ length: 100_000 }, (_, i) => ({ i, text: 'x'.repeat(100) })) }; }));
    expect((huge.replies[0].metadata.error as string).length).toBeLessThan(3_000);
  });

  it('answers a handler whose output JSON would turn into something else (a function, NaN, a Map) with a success without it, naming where', async () => {
    const outputs: Array<[unknown, string]> = [
      [() => 1, 'output is a function'],
      [{ x: Number.NaN }, 'output.x is NaN'],
      [{ m: new Map([[1, 2]]) }, 'output.m is a Map'],
    ];
    for (const [output, where] of outputs) {
      const store = new MemoryResultStore();
      const d = new FakeDelivery(command());
      await handleDelivery(d, deps(() => output, store));
      expect(d.replies[0].metadata).toEqual({ status: 'SUCCESS', outputDropped: true, error: expect.stringContaining(`OUTPUT_NOT_JSON: the handler's output cannot be serialised as JSON: ${where}`) });
      expect(await store.get('f1:s:DO')).toEqual({ output: undefined, droppedBecause: d.replies[0].metadata.error });
    }
  });

  it('says, as a warning, that the worker stopped when a reply fails after stop() gave up on its handler, and gives nothing back', async () => {
    const d = new FakeDelivery(command());
    d.failSettle = new Error('This operation was aborted');
    await handleDelivery(d, { ...deps(() => 1), stopped: () => true });
    expect(logged).toEqual(['warn the worker stopped before the reply was confirmed, the command will come again: This operation was aborted']);
    expect(d.abandoned).toBe(0);
  });

  it('logs a burst of expired commands as one line, after the first with its fields', async () => {
    const warn = jest.fn();
    const expiredDeps = { ...deps(jest.fn()), logger: { ...logger, warn } };
    expiredDeps.expiredDrops = new ExpiredDrops(expiredDeps.logger);
    for (const flowId of ['f1', 'f2', 'f3']) {
      await handleDelivery(new FakeDelivery(command({ flowId, deadline: new Date(Date.now() - 1).toISOString() })), expiredDeps);
    }
    expiredDeps.expiredDrops.flush();
    expect(warn.mock.calls).toEqual([
      [expect.objectContaining({ flowId: 'f1', step: 's' }), 'command expired before it was handled: dropped'],
      [{ dropped: 2, flowIds: ['f2', 'f3'] }, '2 more command(s) expired before they were handled: dropped (flowIds: the first 2)'],
    ]);
  });

  it('cuts a handler error to the 10,000 characters Baton keeps, so that a huge one cannot make the reply too big', async () => {
    const d = new FakeDelivery(command());
    await handleDelivery(d, deps(() => { throw new Error('e'.repeat(2_000_000)); }));
    expect(d.replies[0].metadata.error).toHaveLength(10_000);
  });
});
