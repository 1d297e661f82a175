import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpCallClient } from './http-call.client';
import type { HttpConnectionConfig } from './http-call-config';
import { NoTraceHeaders } from './trace-headers';
import { selfSignedCert } from '../../../test/fakes/self-signed-cert';

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

describe('HttpCallClient: an OAuth2 token the partner refuses', () => {
  it('is forgotten even when the 401 answer breaks off before its body ends: the next call fetches a new token', async () => {
    let issued = 0;
    const used: string[] = [];
    const partner = createServer((req, res) => {
      if (req.url === '/token') {
        issued++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"access_token":"token-${issued}","expires_in":3600}`);
        return;
      }
      used.push(String(req.headers.authorization));
      if (req.headers.authorization === 'Bearer token-1') {
        // The headers of a 401, then the connection drops mid-body.
        res.writeHead(401, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"error":');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    const connection: HttpConnectionConfig = {
      name: 'partner', baseUrl: base, connectTimeoutMs: 1000, timeoutMs: 2000, maxResponseBytes: 65_536, services: '*',
      auth: { scheme: 'oauth2', tokenUrl: `${base}/token`, clientId: 'baton', clientSecret: 'client-secret-0123456789' },
    };
    const client = new HttpCallClient(connection, ['client-secret-0123456789'], new NoTraceHeaders());
    const call = {
      method: 'GET', url: new URL(`${base}/orders`), headers: {}, timeoutMs: 2000,
      flowId: 'f', step: 'order', action: 'DO', correlationId: null, idempotencyKey: 'f:order:DO', what: 'GET /orders',
    };
    try {
      await expect(client.send(call)).rejects.toThrow('GET /orders');
      expect((await client.send(call)).status).toBe(200);
      expect(used).toEqual(['Bearer token-1', 'Bearer token-2']);
      expect(issued).toBe(2);
    } finally {
      await client.close();
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
    }
  });
});

describe('HttpCallClient: the headers it adds', () => {
  /** undici sent the template's `Content-Type` and Baton's `content-type` both, and so both Accepts. */
  it("sends a template's Accept and Content-Type in place of its own, whatever their letter case, and the Idempotency-Key only when given", async () => {
    const seen: string[][] = [];
    const partner = createServer((req, res) => {
      seen.push(req.rawHeaders);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    const connection: HttpConnectionConfig = {
      name: 'erp', baseUrl: base, auth: { scheme: 'bearer', token: 'erp-token-0123456789' }, connectTimeoutMs: 1000, timeoutMs: 2000,
      maxResponseBytes: 65_536, services: '*',
    };
    const client = new HttpCallClient(connection, ['erp-token-0123456789'], new NoTraceHeaders());
    const call = { timeoutMs: 2000, flowId: 'f', step: 'patch', action: 'DO', correlationId: null, what: 'PATCH /orders/1' };
    const named = (raw: string[], name: string) => raw.filter((_, i) => i % 2 === 0 && raw[i].toLowerCase() === name).length;
    const value = (raw: string[], name: string) => raw[raw.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name) + 1];
    try {
      await client.send({ ...call, method: 'PATCH', url: new URL(`${base}/orders/1`), body: { qty: 2 }, idempotencyKey: 'f:patch:DO',
        headers: { 'Content-Type': 'application/merge-patch+json', ACCEPT: 'text/csv' } });
      await client.send({ ...call, method: 'GET', url: new URL(`${base}/orders/1`), headers: {} });
      const [patch, get] = seen;
      expect(['content-type', 'accept', 'idempotency-key'].map((h) => named(patch, h))).toEqual([1, 1, 1]);
      expect([value(patch, 'content-type'), value(patch, 'accept')]).toEqual(['application/merge-patch+json', 'text/csv']);
      expect([value(get, 'accept'), named(get, 'content-type'), named(get, 'idempotency-key')]).toEqual(['application/json, text/plain, */*', 0, 0]);
    } finally {
      await client.close();
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
    }
  });
});

describe('HttpCallClient: a call that never left', () => {
  /** Unmarked, a refused connection set the launch unanswered: an UNDO then failed on a call that was never made. */
  it('says a refused connection sent nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const connection: HttpConnectionConfig = {
      name: 'erp', baseUrl: base, auth: { scheme: 'bearer', token: 'erp-token-0123456789' }, connectTimeoutMs: 1000, timeoutMs: 2000,
      maxResponseBytes: 65_536, services: '*',
    };
    const client = new HttpCallClient(connection, ['erp-token-0123456789'], new NoTraceHeaders());
    try {
      const failure = await client.send({
        method: 'POST', url: new URL(`${base}/orders`), headers: {}, body: {}, timeoutMs: 2000,
        flowId: 'f', step: 'order', action: 'DO', correlationId: null, idempotencyKey: 'f:order:DO', what: 'POST /orders',
      }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ retriable: true, unsent: true, message: expect.stringContaining('ECONNREFUSED') });
    } finally {
      await client.close();
    }
  });
});

describe('HttpCallClient: a certificate it does not trust', () => {
  /** The hint read "set HTTP_ERP_BASE_URL (use a trusted certificate)=true": HTTP connections have no setting to skip verification. */
  it('fails the call and the token request, saying a trusted certificate is needed, naming no setting to turn verification off', async () => {
    const partner = createHttpsServer(selfSignedCert(), (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    const base = `https://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    const common = { baseUrl: base, connectTimeoutMs: 1000, timeoutMs: 2000, maxResponseBytes: 65_536, services: '*' as const };
    const bearer = new HttpCallClient({ ...common, name: 'erp', auth: { scheme: 'bearer', token: 'erp-token-0123456789' } }, [], new NoTraceHeaders());
    const oauth2 = new HttpCallClient({ ...common, name: 'crm',
      auth: { scheme: 'oauth2', tokenUrl: `${base}/token`, clientId: 'baton', clientSecret: 'client-secret-0123456789' } }, [], new NoTraceHeaders());
    const call = { method: 'GET', url: new URL(`${base}/orders`), headers: {}, timeoutMs: 2000, flowId: 'f', step: 'order', action: 'DO',
      correlationId: null, what: 'GET /orders' };
    try {
      const direct = (await bearer.send(call).catch((e: unknown) => e)) as Error;
      expect(direct.message).toMatch(/^GET \/orders: TLS certificate verification failed \(\w+: .*\); HTTP connections always verify certificates: HTTP_ERP_BASE_URL needs one the engine trusts$/);
      const token = (await oauth2.send(call).catch((e: unknown) => e)) as Error;
      expect(token.message).toMatch(/^OAuth2 token request: TLS certificate verification failed \(\w+: .*\); HTTP connections always verify certificates: the token URL needs one the engine trusts$/);
    } finally {
      await Promise.all([bearer.close(), oauth2.close()]);
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
    }
  });
});
