import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpCallClient } from './http-call.client';
import type { HttpConnectionConfig } from './http-call-config';
import { NoTraceHeaders } from './trace-headers';

describe('HttpCallClient: an API key in a header of its own', () => {
  it("sends the connection's key in its header, in place of a template's header of that name, and scrubs it from texts", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const partner = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"echo":"${req.headers['x-api-key']}"}`);
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    const key = 'geo-key-0123456789abcdef';
    const connection: HttpConnectionConfig = {
      name: 'geo', baseUrl: base, auth: { scheme: 'apiKey', header: 'x-api-key', key }, connectTimeoutMs: 1000, timeoutMs: 2000,
      maxResponseBytes: 65_536, services: '*',
    };
    const client = new HttpCallClient(connection, [key], new NoTraceHeaders());
    try {
      const answer = await client.send({
        method: 'GET', url: new URL(`${base}/places`), headers: { 'X-Api-Key': 'from-the-template', 'X-Tenant': 'acme' }, timeoutMs: 2000,
        flowId: 'f', step: 'geocode', action: 'DO', correlationId: null, idempotencyKey: 'f:geocode:DO', what: 'GET /places',
      });
      expect(seen[0]).toMatchObject({ 'x-api-key': key, 'x-tenant': 'acme' });
      expect(seen[0].authorization).toBeUndefined();
      expect(client.scrub(JSON.stringify(answer.body))).not.toContain(key);
      expect(JSON.stringify(client)).not.toContain(key);
    } finally {
      await client.close();
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
    }
  });
});
