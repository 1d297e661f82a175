import type { Agent, Dispatcher } from 'undici';
import { basicAuthorization, cappedRequest, connectionAgent } from '../http/capped-request';
import { fromTransportError, HandlerHttpError } from '../http/handler-http-error';
import { redact } from '../http/redact';
import type { HttpConnectionConfig } from './http-call-config';
import { OAuth2TokenSource } from './oauth2-token-source';
import type { OutboundTraceHeaders } from './trace-headers';

export interface CallRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  flowId: string;
  step: string;
  action: string;
  correlationId: string | null;
  /** The step's key on the calls that do its work (the launch, the undo), not on status polls. */
  idempotencyKey?: string;
  /** "POST /orders", for messages. */
  what: string;
}

export interface CallResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, else the text; null when empty or over the size cap. */
  body: unknown;
  bodyTruncated: boolean;
}

/**
 * One `http` connection's client: its own undici Agent, its credentials (OAuth2 tokens fetched and
 * cached here), the headers Baton always sends, a timeout per call and a cap on what is read back.
 * Texts it produces are scrubbed of every credential, fetched tokens included.
 */
export class HttpCallClient {
  private readonly agent: Agent;
  private readonly tokens?: OAuth2TokenSource;
  private readonly staticAuthorization?: string;
  /** An API key's header (lower case) and value. */
  private readonly keyHeader?: [string, string];

  constructor(
    readonly connection: HttpConnectionConfig,
    private readonly secrets: readonly string[],
    private readonly trace: OutboundTraceHeaders,
  ) {
    this.agent = connectionAgent({ connectTimeoutMs: connection.connectTimeoutMs, responseTimeoutMs: connection.timeoutMs });
    const auth = connection.auth;
    if (auth.scheme === 'bearer') this.staticAuthorization = `Bearer ${auth.token}`;
    if (auth.scheme === 'basic') this.staticAuthorization = basicAuthorization(auth.username, auth.password);
    if (auth.scheme === 'apiKey') this.keyHeader = [auth.header, auth.key];
    if (auth.scheme === 'oauth2') {
      this.tokens = new OAuth2TokenSource(auth, this.agent, connection.connectTimeoutMs + connection.timeoutMs, (t) => this.scrub(t));
    }
    for (const key of ['connection', 'secrets', 'staticAuthorization', 'keyHeader', 'tokens']) Object.defineProperty(this, key, { enumerable: false });
  }

  scrub(text: string): string {
    return redact(text, [...this.secrets, ...this.fetchedTokens()]);
  }

  /** The OAuth2 access tokens fetched lately (none without OAuth2): secrets too, though no setting holds them. */
  fetchedTokens(): readonly string[] {
    return this.tokens?.recentTokens() ?? [];
  }

  /** Sends a call; any response is returned, only transport failures throw (HandlerHttpError). */
  async send(call: CallRequest): Promise<CallResponse> {
    const res = await this.sendOnce(call);
    // A token the partner no longer accepts (revoked, clock skew): one more try with a fresh one.
    if (res.status === 401 && res.tokenUsed) return this.sendOnce(call);
    return res;
  }

  private async sendOnce(call: CallRequest): Promise<CallResponse & { tokenUsed?: boolean }> {
    // A template's Accept or Content-Type replaces the default, in whatever letter case it was written: both would be sent.
    const headers: Record<string, string> = { ...call.headers };
    const named = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
    if (!named.has('accept')) headers.accept = 'application/json, text/plain, */*';
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      if (!named.has('content-type')) headers['content-type'] = 'application/json';
    }
    if (call.correlationId) headers['x-correlation-id'] = call.correlationId;
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    this.trace.inject(headers, { flowId: call.flowId, step: call.step, action: call.action });
    const token = this.tokens ? await this.tokens.token() : undefined;
    const authorization = token ? `Bearer ${token}` : this.staticAuthorization;
    if (authorization) headers.authorization = authorization;
    if (this.keyHeader) {
      // The connection's key wins over a template's header of the same name, in whatever letter case it was written.
      const [name, key] = this.keyHeader;
      for (const given of Object.keys(headers)) if (given.toLowerCase() === name) delete headers[given];
      headers[name] = key;
    }
    try {
      // The call's timeout bounds the whole exchange, connection included, up to the last body byte.
      const res = await cappedRequest(this.agent, call.url, {
        method: call.method as Dispatcher.HttpMethod, headers, body, timeoutMs: call.timeoutMs, maxBytes: this.connection.maxResponseBytes,
        // A token refused is forgotten even if its answer's body then fails to arrive.
        onStatus: (status) => { if (status === 401 && token) this.tokens!.invalidate(token); },
      });
      return { status: res.status, headers: res.headers, body: res.body.text === null ? null : parse(res.body.text),
        bodyTruncated: res.body.truncated, tokenUsed: token !== undefined };
    } catch (e) {
      const error = fromTransportError(e, call.what,
        `HTTP connections always verify certificates: HTTP_${this.connection.name.toUpperCase()}_BASE_URL needs one the engine trusts`);
      throw new HandlerHttpError(null, error.retriable, this.scrub(error.message), undefined, error.unsent);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
