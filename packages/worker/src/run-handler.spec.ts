import { BatonHttpError } from './baton-client';
import { command, deps, FakeDelivery, logged } from './handle-delivery.fixtures';
import { HEARTBEAT_WAIT_MS, run } from './run-handler';

describe('run: the heartbeats of a handler', () => {
  beforeEach(() => { logged.length = 0; });
  afterEach(() => jest.useRealTimers());

  it('lets `await cmd.heartbeat()` go on after HEARTBEAT_WAIT_MS while its heartbeat is still retried, and sends no second one meanwhile', async () => {
    jest.useFakeTimers();
    const d = new FakeDelivery(command());
    let sent = 0;
    let answer!: () => void;
    // Over HTTP, a heartbeat through Baton's 503s is retried for as long as the lease lasts: nearly a minute.
    d.heartbeat = () => { sent++; return new Promise<undefined>((resolve) => (answer = () => resolve(undefined))); };
    const waited: number[] = [];
    let done = false;
    const outcome = run(async (cmd) => {
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        await cmd.heartbeat();
        waited.push(Date.now() - started);
      }
      return 'done';
    }, d, deps(undefined)).then((o) => { done = true; return o; });
    try {
      await jest.advanceTimersByTimeAsync(HEARTBEAT_WAIT_MS);
      expect(done).toBe(true);
      // The second joins the heartbeat still out, which it no longer waits for.
      expect(waited).toEqual([HEARTBEAT_WAIT_MS, 0]);
      expect(sent).toBe(1);
      expect(await outcome).toEqual({ ok: true, output: 'done' });
    } finally {
      answer();
    }
  });

  it.each([
    ['not in flight', async () => 'ended' as const],
    ['a 404', async () => { throw new BatonHttpError(404, '{"code":"NOT_FOUND","message":"No command c1"}', 'POST /reply'); }],
  ])('takes a heartbeat answered %s after the handler returned for no news: its signal stays whole, and nothing is logged', async (_, answered) => {
    const d = new FakeDelivery(command());
    let answer!: () => void;
    // Still out when the handler returns: Baton answers it only after the reply was applied.
    d.heartbeat = () => new Promise<'ended' | undefined>((resolve, reject) => { answer = () => answered().then(resolve, reject); });
    let signal!: AbortSignal;
    const outcome = await run((cmd) => {
      signal = cmd.signal;
      void cmd.heartbeat();
      return { ok: 1 };
    }, d, deps(undefined));
    expect(outcome).toEqual({ ok: true, output: { ok: 1 } });
    answer();
    await new Promise(setImmediate);
    expect(signal.aborted).toBe(false);
    expect(logged).toEqual([]);
  });
});
