import type { Agent } from 'undici';
import type { ConnectionConfig } from '../handlers-config';
import { basicAuthorization, cappedRequest, CappedResponse, connectionAgent } from './capped-request';
import { fromTransportError, HandlerHttpError, isRetriableStatus, parseRetryAfter, UnreadableLaunchAnswer } from './handler-http-error';
import { withoutCredentialShapes } from './credential-shapes';
import { textOfHtml } from './html-text';
import { redact, truncate } from './redact';

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
  /** The call may start a job: a 2xx answer too large to read is a lost answer (see UnreadableLaunchAnswer). */
  startsJob?: boolean;
}

/**
 * The most of an AWX or OO answer read: theirs are small JSON documents (a job with its artifacts,
 * an execution with its outputs), and one without end must not exhaust the engine's memory.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The server's message in an error body. A parser that fails on an odd answer leaves the text as it
 * came: thrown on, it would replace the status's error, and a retriable 5xx would fail for good.
 */
function extractedMessage(text: string, messageOf: (body: string) => string | undefined): string {
  try {
    return messageOf(text) ?? (/^\s*</.test(text) ? textOfHtml(text) : text.trim());
  } catch {
    return text.trim();
  }
}

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
    this.agent = connectionAgent({
      connectTimeoutMs: connection.connectTimeoutMs, responseTimeoutMs: connection.requestTimeoutMs, allowInvalidSsl: connection.allowInvalidSsl,
    });
    const auth = connection.auth;
    this.authorization = auth.scheme === 'bearer' ? `Bearer ${auth.token}` : basicAuthorization(auth.username, auth.password);
    // Nothing holding a credential shows up when this object is logged or serialised.
    for (const key of ['authorization', 'connection', 'secrets']) Object.defineProperty(this, key, { enumerable: false });
  }

  /** What to do about a certificate that fails verification: name the variable that turns it off for this connection. */
  get tlsHint(): string {
    const c = this.connection;
    const variable = `${c.kind.toUpperCase()}_${c.name === 'default' ? '' : `${c.name.toUpperCase()}_`}ALLOW_INVALID_SSL`;
    return `for a test server with a self-signed certificate set ${variable}=true`;
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
    let res: CappedResponse;
    try {
      res = await cappedRequest(this.agent, this.url(path), {
        method, headers, body, maxBytes: MAX_BODY_BYTES,
        // Belt and braces over headers/body timeouts: no call outlives connect + request timeout.
        timeoutMs: this.connection.connectTimeoutMs + this.connection.requestTimeoutMs,
      });
    } catch (e) {
      const error = fromTransportError(e, options.what, this.tlsHint);
      throw new HandlerHttpError(error.status, error.retriable, this.scrub(error.message), undefined, error.unsent);
    }
    if (res.body.truncated) {
      const message = this.scrub(`${options.what} failed: the ${res.status} answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
      if (options.startsJob && res.status >= 200 && res.status < 300) throw new UnreadableLaunchAnswer(res.status, message);
      throw new HandlerHttpError(res.status, isRetriableStatus(res.status), message);
    }
    return { status: res.status, headers: res.headers, text: res.body.text ?? '' };
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
      message = extractedMessage(res.text, messageOf) || 'no error message';
    }
    const retriable = isRetriableStatus(res.status);
    const retryAfter = retriable ? parseRetryAfter(res.headers['retry-after']) : undefined;
    // Scrubbed as far as it is kept, before it is cut (a secret across the cut would keep its first
    // half): a partner's error body of megabytes is not worth scrubbing whole.
    return new HandlerHttpError(res.status, retriable, this.scrub(`${what} failed (HTTP ${res.status}): ${truncate(this.scrubPartnerText(message.slice(0, 2_000)))}`), retryAfter,
      res.status === 429);
  }

  scrub(text: string): string {
    return redact(text, this.secrets);
  }

  /** A partner's error text (an error body, a job's explanation): Baton's credentials and anything shaped like one cut. */
  scrubPartnerText(text: string): string {
    return withoutCredentialShapes(this.scrub(text));
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
