import { setTimeout as sleep } from 'node:timers/promises';
import type { BatonClient } from '../baton-client';
import { Slots } from '../slots';
import type { WireCommand } from '../wire';
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
function baton(batches: unknown[][]) {
  const requests: string[] = [];
  const client = {
    service: 'shop',
    request: async (method: string, path: string) => {
      requests.push(`${method} ${path}`);
      if (method !== 'GET') return undefined;
      const batch = batches.shift();
      if (batch) return batch;
      await sleep(20);
      return [];
    },
  } as unknown as BatonClient;
  return { client, requests };
}

const until = async (condition: () => boolean) => {
  for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await sleep(20);
};

describe('HttpTransport', () => {
  it('warns once while Baton does not answer its polls, and says when it answers again', async () => {
    let answering = false;
    let polls = 0;
    const client = {
      service: 'shop',
      request: async () => {
        polls++;
        if (!answering) throw new Error('fetch failed');
        await sleep(20); // a long poll that ends with no command
        return [];
      },
    } as unknown as BatonClient;
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const transport = new HttpTransport(client, logger);
    await transport.start(() => undefined, new Slots(1));
    try {
      await until(() => polls >= 3);
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
    expect(logger.error).toHaveBeenCalledWith({ service: 'shop', leaseId: 'l2' }, expect.stringContaining('not a command, dropped: A command lacks'));
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
});
