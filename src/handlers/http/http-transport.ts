import { Agent, request } from 'undici';
import type { ConnectionConfig } from '../handlers-config';
import { fromTransportError, HandlerHttpError, isRetriableStatus, parseRetryAfter } from './handler-http-error';
import { readCapped } from './read-capped';
import { redact, textOfHtml, truncate } from './redact';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface SendOptions {
  /** JSON-serialised unless a string. */
  body?: unknown;
  /** What the call does, for error messages: "AWX launch of job_template 7". */
  what: string;
}

/**
 * The most of an AWX or OO answer read: theirs are small JSON documents (a job with its artifacts,
 * an execution with its outputs), and one without end must not exhaust the engine's memory.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * One connection's HTTP access: a dedicated undici Agent (TLS verification per connection,
 * timeouts from config), the auth header, and error texts scrubbed of credentials.
 */
export class HttpTransport {
  private readonly agent: Agent;
  private readonly authorization: string;

  constructor(
    readonly connection: ConnectionConfig,
    private readonly secrets: readonly string[],
  ) {
    this.agent = new Agent({
      connect: { rejectUnauthorized: !connection.allowInvalidSsl, timeout: connection.connectTimeoutMs },
      headersTimeout: connection.requestTimeoutMs,
      bodyTimeout: connection.requestTimeoutMs,
    });
    const auth = connection.auth;
    this.authorization = auth.scheme === 'bearer' ? `Bearer ${auth.token}`
      : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    // Nothing holding a credential shows up when this object is logged or serialised.
    for (const key of ['authorization', 'connection', 'secrets']) Object.defineProperty(this, key, { enumerable: false });
  }

  /** The environment variable that turns off TLS verification for this connection. */
  get allowInvalidSslVar(): string {
    const c = this.connection;
    return `${c.kind.toUpperCase()}_${c.name === 'default' ? '' : `${c.name.toUpperCase()}_`}ALLOW_INVALID_SSL`;
  }

  url(path: string): string {
    return `${this.connection.baseUrl}${this.connection.apiPrefix}${path}`;
  }

  /** Sends a request; any response (even 4xx/5xx) is returned, only transport failures throw. */
  async send(method: 'GET' | 'POST' | 'PUT', path: string, options: SendOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = { authorization: this.authorization, accept: 'application/json, text/plain, */*' };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    try {
      const res = await request(this.url(path), {
        method, headers, body, dispatcher: this.agent,
        // Belt and braces over headers/body timeouts: no call outlives connect + request timeout.
        signal: AbortSignal.timeout(this.connection.connectTimeoutMs + this.connection.requestTimeoutMs),
      });
      const read = await readCapped(res.body, MAX_BODY_BYTES);
      if (read.truncated) {
        throw new HandlerHttpError(res.statusCode, isRetriableStatus(res.statusCode),
          this.scrub(`${options.what} failed: the ${res.statusCode} answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`));
      }
      return { status: res.statusCode, headers: res.headers, text: read.text ?? '' };
    } catch (e) {
      if (e instanceof HandlerHttpError) throw e;
      const error = fromTransportError(e, options.what, this.allowInvalidSslVar);
      throw new HandlerHttpError(error.status, error.retriable, this.scrub(error.message), undefined, error.unsent);
    }
  }

  /**
   * Builds the error for a non-2xx response, with the server's message extracted by `messageOf`.
   * Scrubbed before it is shortened: a secret cut in two would no longer match whole.
   */
  errorFor(res: HttpResponse, what: string, messageOf: (body: string) => string | undefined): HandlerHttpError {
    let message: string;
    if (res.status >= 300 && res.status < 400) {
      message = `unexpected redirect to ${String(res.headers.location ?? '(no location)')}`;
    } else {
      const extracted = messageOf(res.text) ?? (/^\s*</.test(res.text) ? textOfHtml(res.text) : res.text.trim());
      message = extracted || 'no error message';
    }
    const retriable = isRetriableStatus(res.status);
    const retryAfter = retriable ? parseRetryAfter(res.headers['retry-after']) : undefined;
    // Scrubbed as far as it is kept, before it is cut (a secret across the cut would keep its first
    // half): a partner's error body of megabytes is not worth scrubbing whole.
    return new HandlerHttpError(res.status, retriable, this.scrub(`${what} failed (HTTP ${res.status}): ${truncate(this.scrub(message.slice(0, 2_000)))}`), retryAfter,
      res.status === 429);
  }

  scrub(text: string): string {
    return redact(text, this.secrets);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
