import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatonClient, BatonHttpError } from './baton-client';

/** A Baton on a local port: `handle` answers each request, by its number from 1. */
async function fakeBaton(handle: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  let n = 0;
  const server: Server = createServer((req, res) => handle(++n, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client: (timeoutMs?: number) => new BatonClient({ url, timeoutMs }, 'shop'),
    requests: () => n,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const busy = (res: ServerResponse, retryAfter?: string) => {
  res.writeHead(503, { 'content-type': 'application/json', ...(retryAfter && { 'retry-after': retryAfter }) });
  res.end('{"code":"SERVICE_UNAVAILABLE"}');
};

describe('BatonClient', () => {
  it('abandons an attempt Baton does not answer within the connection\'s timeoutMs (fetch alone waits 300 s)', async () => {
    const baton = await fakeBaton(() => undefined);
    try {
      const started = Date.now();
      await expect(baton.client(150).request('POST', '/r', {}, { retryForMs: 0 })).rejects.toThrow('POST /r: no answer within 150 ms');
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await baton.close();
    }
  });

  it('reads no more than a few KiB of an error and caps a successful answer, however much a server sends', async () => {
    const endless = (status: number) => (_n: number, _req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.write('x'.repeat(64 * 1024)); // and never ends
    };
    for (const [status, expected] of [[400, BatonHttpError], [200, /the answer is over 1024 bytes, not read/]] as const) {
      const baton = await fakeBaton(endless(status));
      try {
        await expect(baton.client(5_000).request('GET', '/big', undefined, { maxBodyBytes: 1024 })).rejects.toThrow(expected);
      } finally {
        await baton.close();
      }
    }
  });

  it('retries a 503 as its Retry-After asks, for as long as retryForMs allows (a reply through a database blip)', async () => {
    const started = Date.now();
    const baton = await fakeBaton((_n, _req, res) => (Date.now() - started < 1_800 ? busy(res, '1') : res.end('{"outcome":"applied"}')));
    try {
      await expect(baton.client().request('POST', '/reply', {}, { retryForMs: 10_000 })).resolves.toEqual({ outcome: 'applied' });
      expect(baton.requests()).toBe(3); // a second apart, as asked
    } finally {
      await baton.close();
    }
  });

  it('starts no attempt after retryForMs', async () => {
    const baton = await fakeBaton((_n, _req, res) => busy(res));
    try {
      const started = Date.now();
      await expect(baton.client().request('POST', '/reply', {}, { retryForMs: 600 })).rejects.toThrow('answered 503');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(baton.requests()).toBeGreaterThan(1);
    } finally {
      await baton.close();
    }
  });

  it('retries sooner than a Retry-After the window cannot wait out (a registration\'s second of retries, a 503\'s 5 s), and no longer than the window', async () => {
    const baton = await fakeBaton((_n, _req, res) => busy(res, '5'));
    try {
      const started = Date.now();
      await expect(baton.client().request('POST', '/register', {}, { retryForMs: 1_000 })).rejects.toThrow('answered 503');
      expect(baton.requests()).toBeGreaterThanOrEqual(2);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await baton.close();
    }
  });

  it('stops retrying when its signal aborts (the worker stopped)', async () => {
    const baton = await fakeBaton((_n, _req, res) => busy(res));
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 300);
      const started = Date.now();
      await expect(baton.client().request('POST', '/reply', {}, { signal: stop.signal, retryForMs: 60_000 })).rejects.toThrow('answered 503');
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await baton.close();
    }
  });

  it('gives Baton\'s clock with an answer (its Date header)', async () => {
    const baton = await fakeBaton((_n, _req, res) => {
      res.setHeader('date', 'Wed, 02 Dec 2026 07:47:00 GMT');
      res.end('[]');
    });
    try {
      expect(await baton.client().answer('GET', '/commands')).toEqual({ body: [], date: Date.parse('2026-12-02T07:47:00Z') });
    } finally {
      await baton.close();
    }
  });
});
