import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from './backoff';
import { errorText, isError } from './logger';
import { readAtMost } from './read-at-most';
import { RefusalGate } from './refusal-gate';
import { currentTraceHeaders } from './tracing';
import { TimeoutError } from './with-timeout';

export interface BatonConnection {
  /** Baton's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** An API key issued by Baton (role `service`); not needed when Baton runs with AUTH_MODE=off. */
  apiKey?: string;
  /**
   * How long one request may wait for Baton's answer before it is abandoned (and, when it may be,
   * tried again), in ms. Default 15000; a long poll gets its wait on top.
   */
  timeoutMs?: number;
}

/** An answer Baton did not accept, with Baton's error body's `code` (SERVICE_NAME_MISMATCH, UNAUTHENTICATED, …) as its own. */
export class BatonHttpError extends Error {
  /** Baton's code for the refusal; undefined when the answer is not Baton's error body (a proxy's page). */
  readonly code?: string;
  /** What Baton said, in a line: `CODE: message` from its error body, or the start of the answer as it came. */
  readonly said: string;

  constructor(readonly status: number, body: string, what: string, readonly retryAfterMs?: number) {
    super(`${what} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'BatonHttpError';
    const { code, message } = errorBodyOf(body);
    this.code = code;
    this.said = code ? `${code}: ${message ?? ''}`.slice(0, 500) : body.slice(0, 200);
  }
}

/** Baton's error body (`{code, message, problems?}`, from its one error filter), or nothing of it when the text is not one. */
function errorBodyOf(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || typeof (body as { code?: unknown }).code !== 'string') return {};
    const { code, message } = body as { code: string; message?: unknown };
    return { code, message: typeof message === 'string' ? message : undefined };
  } catch {
    return {};
  }
}

/**
 * A request not sent: another request of the same client was refused a moment ago (a 401 or a 429,
 * see RefusalGate). It carries that refusal's status, so callers back off as they would from the
 * refusal itself, and how long the hold lasts as its retryAfterMs. Its message says what Baton
 * refused with: the request held back would otherwise hide the cause (a revoked key) at start().
 */
export class HeldBackError extends BatonHttpError {
  override readonly code = 'HELD_BACK';

  constructor(what: string, heldForMs: number, sinceRefusalMs: number, readonly refusal: BatonHttpError) {
    super(refusal.status, '', what, heldForMs);
    this.message = `${what} not sent: Baton refused a request of this worker with ${refusal.status} ${Math.round(sinceRefusalMs)} ms ago `
      + `(${refusal.said}), so none is sent for another ${Math.ceil(heldForMs)} ms`;
    this.name = 'HeldBackError';
  }
}

/**
 * No answer from Baton: the connection failed (refused, reset, a name that does not resolve). fetch
 * says only "fetch failed" and hides the URL and the cause in its `cause`: this message names both.
 */
export class BatonUnreachableError extends Error {
  readonly code = 'BATON_UNREACHABLE';

  constructor(base: string, what: string, cause: unknown) {
    super(`cannot reach Baton at ${base} (${what}): ${causeText(cause)}`, { cause });
    this.name = 'BatonUnreachableError';
  }
}

/** A successful answer the SDK cannot take (too large, not JSON, not what the route answers): the same request gets it again. */
export class BatonAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatonAnswerError';
  }
}

/**
 * Statuses that say the request itself is refused, so the same request is refused again: not 401
 * or 403 (a key an operator can fix), 404 (a lease another instance may hold), 408, 409 or 429
 * (a moment's state).
 */
const NOT_FOR_GOOD = new Set([401, 403, 404, 408, 409, 429]);

/** Whether Baton refused the request for what it carries, so sending it again cannot help. */
export function refusedForGood(error: unknown): error is BatonHttpError {
  return error instanceof BatonHttpError && error.status >= 400 && error.status < 500 && !NOT_FOR_GOOD.has(error.status);
}

/**
 * 429s that concern one kind of request only: a poll over its service's limit, a presence beat of a
 * new instance over the service's. Closing the gate for them held back the replies and heartbeats
 * that keep this worker's leases; the poll loop and the presence back off on their own.
 */
const ONE_KIND_LIMITS = new Set(['TOO_MANY_POLLS', 'TOO_MANY_WORKER_INSTANCES']);

/** A refusal of the caller (a 401, the auth limiter's 429) closes the client's gate: every request would meet it. */
function closesGate(error: unknown): error is BatonHttpError {
  return error instanceof BatonHttpError && (error.status === 401 || (error.status === 429 && !ONE_KIND_LIMITS.has(error.code ?? '')));
}

/** Whether the same request may pass in a moment: no answer (a network error, a timeout), 408, 429 or 5xx. */
function transient(error: unknown): boolean {
  if (error instanceof BatonHttpError) return error.status >= 500 || error.status === 408 || error.status === 429;
  return !(error instanceof BatonAnswerError);
}

/** How long Baton asked to wait (a 503's or 429's Retry-After), at most a minute: 0 when it did not ask. */
export function retryAfterMs(error: unknown): number {
  return error instanceof BatonHttpError ? Math.min(error.retryAfterMs ?? 0, 60_000) : 0;
}

export interface RequestOptions {
  /** Ends the request, and its retries. */
  signal?: AbortSignal;
  /** How long one attempt may wait for the whole answer, in ms. Default: the connection's `timeoutMs`. */
  timeoutMs?: number;
  /** The most bytes of a successful answer read: a larger one fails the request. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * For how long, from the first attempt, a transient failure is tried again, in ms: no attempt
   * starts later. Default 1000 (a blip); 0 makes one attempt.
   */
  retryForMs?: number;
  /** Sent as X-Correlation-ID: Baton then logs a reply, heartbeat or drop under its run's correlation id. */
  correlationId?: string;
}

/** A successful answer, and Baton's clock when it gave it (its Date header, in ms since the epoch). */
export interface Answer<T> {
  body: T;
  date?: number;
}

const TIMEOUT_MS = 15_000;
const ANSWER_MAX_BYTES = 1024 * 1024;
/** An error's text is cut to 500 characters: a larger body (a proxy's page, a stream that never ends) is not read. */
const ERROR_BODY_MAX_BYTES = 4096;

/** Baton's REST API as the SDK uses it: JSON in and out, bearer key, a timeout on every attempt, retries on transient failures. */
export class BatonClient {
  private readonly base: string;
  private readonly gate = new RefusalGate();

  constructor(private readonly connection: BatonConnection, readonly service: string) {
    this.base = baseUrlOf(connection.url);
  }

  async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.answer<T>(method, path, body, options)).body;
  }

  async answer<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Answer<T>> {
    const started = performance.now();
    const left = () => (options.retryForMs ?? 1000) - (performance.now() - started);
    const backoff = new Backoff(200, 5000);
    for (;;) {
      const held = this.gate.heldForMs();
      const refusal = this.gate.refusal;
      if (held > 0 && refusal) {
        const error = new HeldBackError(`${method} ${path}`, held, this.gate.sinceRefusalMs(), refusal);
        if (held > left() || options.signal?.aborted) throw error;
        await sleep(held, undefined, { signal: options.signal }).catch(() => Promise.reject(error));
        continue;
      }
      try {
        const answer = await this.once<T>(method, path, body, options);
        this.gate.passed();
        return answer;
      } catch (error) {
        if (closesGate(error)) this.gate.refused(error, retryAfterMs(error));
        if (!transient(error) || options.signal?.aborted) throw error;
        const soon = backoff.next();
        const asked = Math.max(soon, retryAfterMs(error));
        // A 429 waits out the gate it closed, at least its Retry-After: a request sent sooner is
        // refused again, and adds to the auth failures that keep the address blocked. Other
        // statuses wait as long as Baton asked where the window allows it, and otherwise less,
        // rather than not at all (a registration's second of retries would never wait out a 503's
        // Retry-After: 5).
        const delay = closesGate(error) && error.status === 429 ? this.gate.heldForMs() : asked <= left() ? asked : soon;
        if (delay > left()) throw error;
        await sleep(delay, undefined, { signal: options.signal }).catch(() => Promise.reject(error));
      }
    }
  }

  private async once<T>(method: string, path: string, body: unknown, options: RequestOptions): Promise<Answer<T>> {
    // Inside a handler span, a reply or heartbeat carries its trace context back to Baton.
    const headers: Record<string, string> = { accept: 'application/json', 'x-service-name': this.service, ...currentTraceHeaders() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.connection.apiKey) headers.authorization = `Bearer ${this.connection.apiKey}`;
    if (options.correlationId) headers['x-correlation-id'] = options.correlationId;
    const what = `${method} ${path}`;
    // Without a timeout, fetch waits 300 s for a Baton that hangs: past the lease, whose command then runs elsewhere too.
    const timeoutMs = options.timeoutMs ?? this.connection.timeoutMs ?? TIMEOUT_MS;
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(new TimeoutError(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const cancel = () => attempt.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', cancel, { once: true });
    if (options.signal?.aborted) cancel();
    const json = body === undefined ? undefined : JSON.stringify(body);
    try {
      // Not followed: a redirect could take the key to wherever it points, and Baton's API never redirects.
      const response = await fetch(`${this.base}${path}`, { method, headers, signal: attempt.signal, body: json, redirect: 'manual' });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        throw new BatonHttpError(response.status, `a redirect to ${response.headers.get('location') ?? '(no location)'}, not followed: `
          + 'point the worker at the address it names', what);
      }
      if (!response.ok) {
        const { text } = await readAtMost(response, ERROR_BODY_MAX_BYTES);
        throw new BatonHttpError(response.status, text, what, retryAfterOf(response.headers.get('retry-after')));
      }
      const max = options.maxBodyBytes ?? ANSWER_MAX_BYTES;
      const { text, over } = await readAtMost(response, max);
      if (over) throw new BatonAnswerError(`${what}: the answer is over ${max} bytes, not read`);
      const date = Date.parse(response.headers.get('date') ?? '');
      return { body: parse<T>(text, what), date: Number.isNaN(date) ? undefined : date };
    } catch (error) {
      if (attempt.signal.reason instanceof TimeoutError) throw attempt.signal.reason;
      if (attempt.signal.aborted || error instanceof BatonHttpError || error instanceof BatonAnswerError) throw error;
      throw new BatonUnreachableError(this.base, what, error);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
    }
  }
}

/**
 * Why `url` cannot be Baton's URL, if it cannot: a URL with no scheme ('127.0.0.1:3000') or another
 * one would fail only at start(), as "Failed to parse URL". A query or a fragment would end up
 * before the path of every request. A user name or password in it would make fetch refuse every
 * request with a message that repeats the URL, secret included, into the logs: none is echoed here.
 */
export function batonUrlProblem(url: unknown): string | undefined {
  let parsed: URL | undefined;
  try {
    parsed = new URL(String(url));
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.username || parsed.password)) {
    parsed.username = '';
    parsed.password = '';
    return `baton.url must not hold a user name or password (give Baton's API key as baton.apiKey): use ${parsed.href} without them`;
  }
  if (typeof url === 'string' && parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.search && !parsed.hash) return undefined;
  // What comes before an @ may be credentials in a URL that does not parse as one: not shown.
  const shown = typeof url === 'string' ? url.replace(/^.*@/s, '…@') : url;
  return `baton.url must be an absolute http:// or https:// URL without a query, such as http://127.0.0.1:3000, not ${JSON.stringify(shown)}`;
}

/** Baton's URL as given, checked at once. */
function baseUrlOf(url: string): string {
  const problem = batonUrlProblem(url);
  if (problem) throw new Error(problem);
  return url.replace(/\/+$/, '');
}

/** fetch's cause: an Error ("connect ECONNREFUSED 127.0.0.1:3000"), or an AggregateError with no message of its own (one error per address tried). */
function causeText(error: unknown): string {
  const cause = isError(error) && error.cause !== undefined ? error.cause : error;
  if (isError(cause) && !cause.message && Array.isArray((cause as AggregateError).errors)) return (cause as AggregateError).errors.map(errorText).join('; ');
  return errorText(cause);
}

function parse<T>(text: string, what: string): T {
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    throw new BatonAnswerError(`${what}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Retry-After in seconds, as Baton sends it; undefined when absent or in another form. */
function retryAfterOf(header: string | null): number | undefined {
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : undefined;
}
