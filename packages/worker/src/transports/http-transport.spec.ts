import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from '../backoff';
import { BatonHttpError, type BatonClient, type RequestOptions } from '../baton-client';
import { Slots } from '../slots';
import type { WireCommand, WireReply } from '../wire';
import { HttpTransport } from './http-transport';
import type { Delivery } from './transport';

function command(flowId: string): WireCommand {
  return {
    flowId, orchName: 'o', stepName: 's', action: 'DO', attempt: 1, commandId: `c-${flowId}`, objectType: 'String',
    payload: null, payloadEncoding: 'json', outputs: {}, correlationId: 'corr', idempotencyKey: `${flowId}:s:DO`,
    deadline: new Date(Date.now() + 60_000).toISOString(),
  };
}

/** A Baton that answers each poll with the next of `batches` (then a short empty long poll), and records every request. */
function baton(batches: unknown[]) {
  const requests: string[] = [];
  const client = stubClient(async (method: string, path: string) => {
    requests.push(`${method} ${path}`);
    if (method !== 'GET') return undefined;
    if (batches.length > 0) return batches.shift();
    await sleep(20);
    return [];
  });
  return { client, requests };
}

/** A BatonClient whose answers (to polls too, with no Date) are `request`'s. */
function stubClient(request: (method: string, path: string, body?: unknown, options?: RequestOptions) => Promise<unknown>): BatonClient {
  return { service: 'shop', request, answer: async (...args: Parameters<typeof request>) => ({ body: await request(...args) }) } as unknown as BatonClient;
}

const until = async (condition: () => boolean) => {
  for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await sleep(20);
};

const quiet = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });

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

  it('starts when a command already waits, and hands over the one its first poll leased', async () => {
    // Baton leases a waiting command even to the first, subscribing poll (wait=0 takes it at once).
    const { client, requests } = baton([[{ leaseId: 'l1', leaseExpiresAt: '', command: command('f1') }]]);
    const transport = new HttpTransport(client, { info: jest.fn(), warn: jest.fn(), error: jest.fn() });
    const received: Delivery[] = [];
    await transport.prepare();
    await transport.start((d) => received.push(d), new Slots(2));
    try {
      await until(() => received.length > 0);
    } finally {
      await transport.pause();
    }
    expect(received.map((d) => d.command.flowId)).toEqual(['f1']);
    expect(requests[0]).toBe('GET /api/workers/shop/commands?wait=0&max=1');
    expect(requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
  }, 15_000);

  it('lets go of the command its first poll leased when closed without a start (a failed start), and says so with its ids', async () => {
    const { client, requests } = baton([[{ leaseId: 'l1', leaseExpiresAt: '2030-01-01T00:00:00.000Z', command: command('f1') }]]);
    const logger = quiet();
    const transport = new HttpTransport(client, logger);
    await transport.prepare();
    await transport.close();
    // Baton has no route that gives a lease back: a DELETE would leave a command not past its deadline under its lease all the same.
    expect(requests).toEqual(['GET /api/workers/shop/commands?wait=0&max=1']);
    expect(logger.warn.mock.calls).toEqual([[
      { service: 'shop', leaseId: 'l1', leaseExpiresAt: '2030-01-01T00:00:00.000Z', flowId: 'f1', step: 's', commandId: 'c-f1', correlationId: 'corr' },
      'a command leased before start() failed is left unanswered: Baton offers it again once its lease expires',
    ]]);
  });

  it('drops a lease whose command does not parse, and hands over the rest of its batch', async () => {
    const { client, requests } = baton([[], [
      { leaseId: 'l1', leaseExpiresAt: '', command: command('f1') },
      { leaseId: 'l2', leaseExpiresAt: '', command: { flowId: 'f2' } },
      { leaseId: 'l3', leaseExpiresAt: '', command: command('f3') },
    ]]);
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const transport = new HttpTransport(client, logger);
    const received: Delivery[] = [];
    await transport.prepare();
    await transport.start((d) => received.push(d), new Slots(4));
    try {
      await until(() => received.length >= 2 && requests.some((r) => r.startsWith('DELETE')));
    } finally {
      await transport.pause();
    }
    expect(received.map((d) => d.command.flowId)).toEqual(['f1', 'f3']);
    expect(requests.filter((r) => r.startsWith('DELETE'))).toEqual(['DELETE /api/workers/shop/leases/l2']);
    expect(logger.error).toHaveBeenCalledWith({ service: 'shop', leaseId: 'l2', code: 'MALFORMED_COMMAND', flowId: 'f2' },
      expect.stringContaining('not a command, dropped: MALFORMED_COMMAND: lacks'));
  }, 15_000);

  it('drops each malformed lease of a full poll answer once, retried only within its lease and not after close', async () => {
    const calls: Array<{ method: string; path: string; options?: RequestOptions }> = [];
    let polls = 0;
    const date = Date.now();
    const leases = Array.from({ length: 64 }, (_, i) => ({ leaseId: `l${i}`, leaseExpiresAt: new Date(date + 60_000).toISOString(), command: { flowId: `f${i}` } }));
    const poll = async (options?: RequestOptions) => (polls++ === 0 ? leases : sleep(20, [], { signal: options?.signal }).catch(() => []));
    const client = {
      service: 'shop',
      request: async (method: string, path: string, _body?: unknown, options?: RequestOptions) => void calls.push({ method, path, options }),
      answer: async (_method: string, _path: string, _body?: unknown, options?: RequestOptions) => ({ body: await poll(options), date }),
    } as unknown as BatonClient;
    const logger = quiet();
    const transport = new HttpTransport(client, logger);
    await transport.start(() => undefined, new Slots(64));
    await until(() => polls > 2);
    await transport.close();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(leases.map((l) => `DELETE /api/workers/shop/leases/${l.leaseId}`));
    for (const { options } of calls) {
      expect(options?.retryForMs).toBeLessThanOrEqual(58_000); // the lease less its 2 s margin
      expect(options?.signal?.aborted).toBe(true);
    }
    expect(logger.error.mock.calls.map(([fields]) => (fields as { leaseId: string }).leaseId)).toEqual(leases.map((l) => l.leaseId));
  });

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
