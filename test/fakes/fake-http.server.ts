import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { selfSignedCert } from './self-signed-cert';

export interface RecordedRequest {
  method: string;
  /** Path and query, exactly as sent. */
  path: string;
  /** Every header except authorization and cookie. */
  headers: Record<string, string | string[] | undefined>;
  /** How the request authenticated, never the credential itself. */
  authScheme: 'Basic' | 'Bearer' | null;
  /** Parsed JSON when it parses, else the text; undefined when empty. */
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface Reply {
  status: number;
  /** An object or array is sent as JSON, a string as it is. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Wait before answering (to trip timeouts). */
  delayMs?: number;
  /** Sent only once this resolves: a partner that answers when the test says so. */
  heldUntil?: Promise<void>;
  /** Close the connection without answering (a network error). */
  destroy?: boolean;
}

export interface FakeServerOptions {
  /** HTTPS with a self-signed certificate. */
  tls?: boolean;
  username?: string;
  password?: string;
  token?: string;
}

interface Fault {
  method?: string;
  path: RegExp;
  replies: Reply[];
}

/**
 * Shared plumbing of the fake AWX and OO servers: listens on 127.0.0.1 (port 0), over HTTP or
 * HTTPS, checks Basic/Bearer credentials, records every request and lets a test queue replies
 * (5xx bursts, 429, slow answers, dropped connections) ahead of the normal behaviour.
 */
export abstract class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly faults: Fault[] = [];
  private baseUrl?: string;

  constructor(protected readonly options: FakeServerOptions) {}

  get url(): string {
    if (!this.baseUrl) throw new Error('fake server not started');
    return this.baseUrl;
  }

  async start(): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? createHttpsServer(selfSignedCert(), handler) : createHttpServer(handler);
    this.server.on('connection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    this.server.on('secureConnection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** The next matching requests get these replies, in order, before normal routing resumes. */
  failNext(method: string | undefined, path: RegExp, ...replies: Reply[]): void {
    this.faults.push({ method, path, replies: [...replies] });
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  protected abstract unauthorized(missing: boolean): Reply;
  protected abstract route(method: string, path: string, body: unknown): Reply;

  protected authenticate(header: string | undefined): { scheme: RecordedRequest['authScheme']; ok: boolean } {
    if (!header) return { scheme: null, ok: false };
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme === 'Bearer') return { scheme: 'Bearer', ok: !!this.options.token && value === this.options.token };
    if (scheme === 'Basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const ok = !!this.options.username && decoded === `${this.options.username}:${this.options.password ?? ''}`;
      return { scheme: 'Basic', ok };
    }
    return { scheme: null, ok: false };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const { authorization, cookie: _cookie, ...headers } = req.headers;
    const auth = this.authenticate(authorization);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    this.requests.push({ method, path, headers, authScheme: auth.scheme, body, at: Date.now() });

    let reply: Reply;
    const fault = this.faults.find((f) => (!f.method || f.method === method) && f.path.test(path));
    if (fault) {
      reply = fault.replies.shift()!;
      if (!fault.replies.length) this.faults.splice(this.faults.indexOf(fault), 1);
    } else if (!auth.ok) {
      reply = this.unauthorized(!authorization);
    } else {
      try {
        reply = this.route(method, path, body);
      } catch (e) {
        reply = { status: 500, body: `<html><head><title>500 Internal Server Error</title></head><body>${String(e)}</body></html>`, contentType: 'text/html' };
      }
    }
    await this.send(res, reply);
  }

  private async send(res: ServerResponse, reply: Reply): Promise<void> {
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    await reply.heldUntil;
    if (reply.destroy) {
      res.socket?.destroy();
      return;
    }
    if (res.destroyed) return;
    let payload = '';
    let contentType = reply.contentType;
    if (reply.body !== undefined) {
      if (typeof reply.body === 'string') {
        payload = reply.body;
        contentType ??= 'text/plain';
      } else {
        payload = JSON.stringify(reply.body);
        contentType ??= 'application/json';
      }
    }
    res.writeHead(reply.status, { ...(contentType ? { 'content-type': contentType } : {}), ...(reply.headers ?? {}) });
    res.end(payload);
  }
}
