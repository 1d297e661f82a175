import { setTimeout as sleep } from 'node:timers/promises';
import { BatonHttpError, type BatonClient, type RequestOptions } from '../baton-client';
import { Slots } from '../slots';
import { HttpTransport } from './http-transport';
import { baton, command, quiet, stubClient, until } from './http-transport.fixtures';
import type { Delivery } from './transport';

/** What HttpTransport does with leases outside its poll loop: the first poll's, and those it cannot read. */
describe('HttpTransport leases', () => {
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

  it('hands back the command its first poll leased when closed without a start (a failed start), once, briefly, and says so with its ids', async () => {
    const { client, requests } = baton([[{ leaseId: 'l1', leaseExpiresAt: '2030-01-01T00:00:00.000Z', command: command('f1') }]]);
    const options: Array<RequestOptions | undefined> = [];
    const request = client.request.bind(client);
    client.request = (async (method: string, path: string, body?: unknown, o?: RequestOptions) => {
      options.push(o);
      return request(method, path, body, o);
    }) as BatonClient['request'];
    const logger = quiet();
    const transport = new HttpTransport(client, logger);
    await transport.prepare();
    await transport.close();
    expect(requests).toEqual(['GET /api/workers/shop/commands?wait=0&max=1', 'POST /api/workers/shop/leases/l1/release']);
    // Not under the signal close() aborted; one attempt, bounded, with the command's correlation id.
    expect(options).toEqual([{ timeoutMs: 2_000, retryForMs: 0, correlationId: 'corr' }]);
    expect(logger.warn.mock.calls).toEqual([[
      { service: 'shop', leaseId: 'l1', leaseExpiresAt: '2030-01-01T00:00:00.000Z', flowId: 'f1', step: 's', commandId: 'c-f1', correlationId: 'corr' },
      'a command leased before start() failed is handed back unanswered: Baton offers it to the next poller',
    ]]);
  });

  it('closes all the same when Baton does not take the command back, and says it comes again once its lease expires', async () => {
    const leased = [{ leaseId: 'l1', leaseExpiresAt: '', command: command('f1') }];
    const client = stubClient(async (method) => {
      if (method === 'GET') return leased;
      throw new BatonHttpError(503, '{"code":"DATABASE_UNAVAILABLE"}', 'POST /api/workers/shop/leases/l1/release');
    });
    const logger = quiet();
    const transport = new HttpTransport(client, logger);
    await transport.prepare();
    await expect(transport.close()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ leaseId: 'l1', flowId: 'f1' }),
      expect.stringMatching(/could not be handed back \(.*503.*\): Baton offers it again once its lease expires$/));
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
});
