import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batonProxy } from './baton-proxy';

/** What reaches a stand-in for Baton through the dev server's proxy. */
describe('the dev server proxy to Baton', () => {
  const seen: IncomingHttpHeaders[] = [];
  let baton: Server;
  let dev: ViteDevServer;
  let batonUrl: string;
  let devUrl: string;

  beforeAll(async () => {
    baton = createHttpServer((req, res) => {
      seen.push(req.headers);
      res.end('{}');
    });
    await new Promise<void>((resolve) => baton.listen(0, '127.0.0.1', resolve));
    batonUrl = `http://127.0.0.1:${(baton.address() as AddressInfo).port}`;
    dev = await createServer({
      configFile: false, root: __dirname, logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, proxy: { '/api': batonProxy(batonUrl) } },
    });
    await dev.listen();
    devUrl = `http://127.0.0.1:${(dev.httpServer!.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await dev?.close();
    await new Promise((resolve) => baton?.close(resolve));
  });

  const post = async (origin: string) => {
    seen.length = 0;
    await fetch(`${devUrl}/api/orchestration/undo/x`, { method: 'POST', headers: { origin } });
    return seen[0];
  };

  it("sends the dev page's calls on as from Baton's own origin, to Baton's host", async () => {
    expect(await post(devUrl)).toMatchObject({ origin: batonUrl, host: new URL(batonUrl).host });
  });

  it("keeps another site's Origin, which Baton refuses", async () => {
    expect((await post('https://evil.example')).origin).toBe('https://evil.example');
  });
});
