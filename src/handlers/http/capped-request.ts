import type { IncomingHttpHeaders } from 'node:http';
import { Agent, Dispatcher, request } from 'undici';

/*
 * The one way every built-in handler (AWX, OO, HTTP steps, OAuth2 tokens) talks HTTP: undici, an
 * Agent per connection, each exchange bounded in time and in what it reads back. What differs
 * between them (auth, the error texts, what a too-large answer means) stays with each caller.
 */

/** A response body read up to a cap: `text` is null when it was empty or went past the cap (`truncated`). */
export interface CappedBody {
  text: string | null;
  truncated: boolean;
}

export interface CappedRequest {
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
  /** Bounds the whole exchange, connection included, up to the last body byte. */
  timeoutMs: number;
  maxBytes: number;
  /** Told the status before the body is read: what a status means must not wait on a body that may never come. */
  onStatus?: (status: number) => void;
}

export interface CappedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: CappedBody;
}

export interface AgentTimeouts {
  connectTimeoutMs: number;
  /** For the headers, then again for the body. */
  responseTimeoutMs: number;
  allowInvalidSsl?: boolean;
}

/** A connection's own Agent: its TLS verification and timeouts are not shared with any other. */
export function connectionAgent(t: AgentTimeouts): Agent {
  return new Agent({
    connect: { rejectUnauthorized: !t.allowInvalidSsl, timeout: t.connectTimeoutMs },
    headersTimeout: t.responseTimeoutMs,
    bodyTimeout: t.responseTimeoutMs,
  });
}

/** RFC 7617's header value. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Sends one request and reads its answer up to the cap; transport failures throw undici's error as is. */
export async function cappedRequest(agent: Agent, url: string | URL, r: CappedRequest): Promise<CappedResponse> {
  const res = await request(url, {
    method: r.method, headers: r.headers, body: r.body, dispatcher: agent, signal: AbortSignal.timeout(r.timeoutMs),
  });
  r.onStatus?.(res.statusCode);
  return { status: res.statusCode, headers: res.headers, body: await readCapped(res.body, r.maxBytes) };
}

/**
 * Reads a body up to `maxBytes`, never more: past the cap it stops and destroys the stream, so a
 * partner answering without end (or with gigabytes) costs at most the cap in memory.
 */
async function readCapped(stream: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      return { text: null, truncated: true };
    }
    chunks.push(chunk);
  }
  return { text: size ? Buffer.concat(chunks).toString('utf8') : null, truncated: false };
}
