import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from '../backoff';
import { BatonHttpError, type BatonClient, type RequestOptions } from '../baton-client';
import { Slots } from '../slots';
import type { WireReply } from '../wire';
import { HttpTransport } from './http-transport';
import type { Delivery } from './transport';
import { baton, command, quiet, stubClient, until } from './http-transport.fixtures';

/** Polls answered by `failures` in turn (a BatonHttpError for a status; a 429 with Retry-After), then empty long polls; counts the polls. */
function failing(failures: number[], retryAfterMs = 300) {
  let polls = 0;
  const client = stubClient(async () => {
    polls++;
    const status = failures.shift();
    if (status) throw new BatonHttpError(status, '{}', 'GET /api/workers/shop/commands', status === 429 ? retryAfterMs : undefined);
    await sleep(20);
    return [];
  });
  return { client, polls: () => polls };
}

/** Runs a transport over `client` for `ms`, or until `done`, then pauses it. */
async function polling(transport: HttpTransport, slots: Slots, wait: { ms?: number; done?: () => boolean }) {
  await transport.start(() => undefined, slots);
  try {
    if (wait.done) await until(wait.done);
    else await sleep(wait.ms);
  } finally {
    await transport.pause();
  }
}

describe('HttpTransport', () => {
  it('warns once while Baton does not answer its polls, and says when it answers again', async () => {
    let answering = false;
    let polls = 0;
    const client = stubClient(async () => {
      polls++;
      if (!answering) throw new Error('fetch failed');
      await sleep(20); // a long poll that ends with no command
      return [];
    });
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const transport = new HttpTransport(client, logger);
    await transport.start(() => undefined, new Slots(1));
    try {
      await until(() => polls >= 2); // after a second or so: it backs off
      expect(logger.warn.mock.calls).toEqual([[{ service: 'shop' }, expect.stringContaining('fetch failed')]]);
      answering = true;
      await until(() => logger.info.mock.calls.length > 0);
    } finally {
      await transport.pause();
    }
    expect(logger.info.mock.calls).toEqual([[{ service: 'shop' }, 'polling Baton again']]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  }, 15_000);

  it('pauses at once while every slot is busy, rather than when a handler ends', async () => {
    const { client, requests } = baton([]);
    const transport = new HttpTransport(client, { info: jest.fn(), warn: jest.fn(), error: jest.fn() });
    const slots = new Slots(1);
    await slots.acquire(); // a handler that runs on and on
    await transport.start(() => undefined, slots);
    await sleep(30);
    const started = Date.now();
    const paused = transport.pause().then(() => Date.now() - started);
    const guard = new AbortController(); // without the fix, pause() waits for the slot released below
    const tookMs = await Promise.race([paused, sleep(2_000, -1, { signal: guard.signal })]);
    guard.abort();
    slots.release();
    await paused;
    expect(tookMs).toBeGreaterThanOrEqual(0);
    expect(tookMs).toBeLessThan(100);
    expect(requests).toEqual([]); // it never polled: no slot was free
  });

  it('leaves no abort listener behind for each slot it waited for', async () => {
    const { client } = baton([]);
    const transport = new HttpTransport(client, { info: jest.fn(), warn: jest.fn(), error: jest.fn() });
    const slots = new Slots(1);
    const signal = (transport as unknown as { abort: AbortController }).abort.signal;
    const add = jest.spyOn(signal, 'addEventListener');
    const remove = jest.spyOn(signal, 'removeEventListener');
    await slots.acquire();
    await transport.start(() => undefined, slots);
    for (let i = 0; i < 5; i++) {
      await sleep(10);
      slots.release(); // the loop polls (an empty long poll) and waits for a slot again
      await sleep(40);
      await slots.acquire();
    }
    await transport.pause();
    slots.release();
    const waits = add.mock.calls.filter(([type]) => type === 'abort').length;
    expect(waits).toBeGreaterThanOrEqual(5);
    expect(remove.mock.calls.filter(([type]) => type === 'abort').length).toBeGreaterThanOrEqual(waits - 1);
  });

  it('asks for at most 64 commands a poll, Baton\'s maximum, whatever the concurrency', async () => {
    const { client, requests } = baton([]);
    await polling(new HttpTransport(client, quiet(), { waitMs: 1000 }), new Slots(100), { done: () => requests.length > 0 });
    expect(requests[0]).toBe('GET /api/workers/shop/commands?wait=1000&max=64');
  });

  it('reads a poll answer up to 64 MiB (64 commands of Baton\'s largest), not the client\'s default 1 MiB', async () => {
    const caps: Array<number | undefined> = [];
    const client = stubClient(async (method, _path, _body, options) => {
      if (method === 'GET') caps.push(options?.maxBodyBytes);
      await sleep(20);
      return [];
    });
    await polling(new HttpTransport(client, quiet(), { waitMs: 1000 }), new Slots(1), { done: () => caps.length > 0 });
    expect(caps[0]).toBe(64 * 1024 * 1024);
  });

  it('refuses a waitMs Baton refuses, or so short that the poll loop would spin', () => {
    const { client } = baton([]);
    for (const waitMs of [0, 1, 999, 30_001, 1500.5, Number.NaN]) {
      expect(() => new HttpTransport(client, quiet(), { waitMs })).toThrow(`waitMs must be an integer from 1000 to 30000, not ${waitMs}`);
    }
    for (const waitMs of [1000, 30_000, undefined]) expect(() => new HttpTransport(client, quiet(), { waitMs })).not.toThrow();
  });

  it('waits seconds, not one, before polling again after Baton refused the poll (a 400 or a revoked key\'s 401)', async () => {
    for (const status of [400, 401]) {
      const { client, polls } = failing(Array(10).fill(status));
      const logger = quiet();
      await polling(new HttpTransport(client, logger), new Slots(1), { ms: 1_500 });
      expect(polls()).toBe(1);
      expect(logger.error).toHaveBeenCalledWith({ service: 'shop' }, expect.stringContaining(`answered ${status}`));
    }
  });

  it('logs a refused poll as an error once per status, a 429 as a warning, and says when polling works again', async () => {
    jest.spyOn(Backoff.prototype, 'next').mockReturnValue(5);
    try {
      const { client, polls } = failing([401, 401, 401, 400, 400, 429, 429]);
      const logger = quiet();
      await polling(new HttpTransport(client, logger), new Slots(1), { done: () => polls() > 8 });
      expect(logger.error.mock.calls.map(([, message]) => message.match(/answered (\d+)/)?.[1])).toEqual(['401', '400']);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.info.mock.calls).toEqual([[{ service: 'shop' }, 'polling Baton again']]);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('waits at least what a 429\'s Retry-After asks before polling again', async () => {
    jest.spyOn(Backoff.prototype, 'next').mockReturnValue(5);
    try {
      const { client, polls } = failing([429], 1_500);
      await polling(new HttpTransport(client, quiet()), new Slots(1), { ms: 1_300 });
      expect(polls()).toBe(1);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('refuses a poll answer that is no list of leases, and skips leases without a leaseId, dropping nothing it cannot name', async () => {
    jest.spyOn(Backoff.prototype, 'next').mockReturnValue(5);
    try {
      const { client, requests } = baton([null, {}, 'abc', [
        { leaseId: 7, command: command('f0') }, { command: command('f0') }, 'x', null, { leaseId: 'l2', leaseExpiresAt: '', command: command('f2') },
      ]]);
      const logger = quiet();
      const transport = new HttpTransport(client, logger);
      const received: Delivery[] = [];
      await transport.start((d) => received.push(d), new Slots(4));
      try {
        await until(() => received.length > 0);
      } finally {
        await transport.pause();
      }
      expect(received.map((d) => d.command.flowId)).toEqual(['f2']);
      expect(requests.filter((r) => !r.startsWith('GET'))).toEqual([]);
      expect(logger.error.mock.calls.map(([, message]) => message)).toEqual([
        'polling Baton failed, trying again with backoff: the poll answered null, not a list of leases', // once, not per answer
        '4 lease(s) of a poll answer without a leaseId, skipped',
      ]);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('retries a reply until its command\'s deadline by Baton\'s clock, at least as long as the lease, and no longer once closed', async () => {
    const date = Date.now() - 3_600_000; // Baton's clock, an hour behind this process's
    const calls: Array<{ method: string; options?: RequestOptions }> = [];
    let leased = false;
    const poll = async (options?: RequestOptions) => {
      if (leased) return sleep(20, [], { signal: options?.signal }).catch(() => []);
      leased = true;
      // A 60 s lease on a command due in 300 s: a Baton that stops acknowledges it, so its reply is worth keeping that long.
      return [{ leaseId: 'l1', leaseExpiresAt: new Date(date + 60_000).toISOString(), command: { ...command('f1'), deadline: new Date(date + 300_000).toISOString() } }];
    };
    const client = {
      service: 'shop',
      request: async (method: string, _path: string, _body?: unknown, options?: RequestOptions) =>
        (method === 'GET' ? poll(options) : void calls.push({ method, options })),
      answer: async (_method: string, _path: string, _body?: unknown, options?: RequestOptions) => ({ body: await poll(options), date }),
    } as unknown as BatonClient;
    const transport = new HttpTransport(client, quiet());
    const received: Delivery[] = [];
    await transport.start((d) => received.push(d), new Slots(1));
    await until(() => received.length > 0);
    // The command's deadline is judged by Baton's clock, an hour behind.
    expect(received[0].batonClockAheadMs).toBeGreaterThan(-3_601_000);
    expect(received[0].batonClockAheadMs).toBeLessThanOrEqual(-3_600_000);
    await received[0].settle({} as WireReply);
    await transport.close();
    expect(calls.map((c) => c.method)).toEqual(['POST']);
    expect(calls[0].options?.retryForMs).toBeGreaterThan(299_000);
    expect(calls[0].options?.retryForMs).toBeLessThanOrEqual(300_000);
    expect(calls[0].options?.signal?.aborted).toBe(true);
    // Baton logs the reply under the run's correlation id, not a fresh one.
    expect(calls[0].options?.correlationId).toBe('corr');
  });
});
