import type { Agent } from 'undici';
import { basicAuthorization, cappedRequest, CappedResponse } from '../http/capped-request';
import { fromTransportError, HandlerHttpError, isRetriableStatus, parseRetryAfter } from '../http/handler-http-error';
import { withoutCredentialShapes } from '../http/credential-shapes';
import { truncate } from '../http/redact';
import type { HttpAuth } from './http-call-config';

type OAuth2 = Extract<HttpAuth, { scheme: 'oauth2' }>;

/** Tokens are fetched again this long before they expire (at most half their lifetime). */
const REFRESH_MARGIN_MS = 60_000;
/**
 * The lifetime assumed of a token whose answer gives none (or none readable, "3599" as a string):
 * kept for good, an expired token was found out only by a call the partner refused with 401.
 */
export const DEFAULT_LIFETIME_MS = 5 * 60_000;
/** Issued tokens remembered for redaction: a partner's error may echo the one it was sent. */
const REMEMBERED = 5;
/**
 * The most of a token endpoint's answer read: a token response is a small JSON object, and one
 * without end (a misconfigured URL, a hostile endpoint) must not exhaust the engine's memory.
 */
export const MAX_TOKEN_BODY_BYTES = 64 * 1024;

/**
 * An OAuth2 client-credentials token for one connection: fetched on first use, shared by
 * concurrent calls (one request in flight), and fetched again shortly before it expires or
 * after the partner answered 401 to it. Its failures are `unsent`: the call that needed the
 * token never went out, so a launch that failed on it started nothing.
 */
export class OAuth2TokenSource {
  private cached?: { token: string; refreshAt: number };
  private pending?: Promise<string>;
  private readonly issued: string[] = [];

  constructor(
    private readonly auth: OAuth2,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
    private readonly scrub: (text: string) => string,
    private readonly now: () => number = Date.now,
  ) {
    for (const key of ['auth', 'cached', 'pending', 'issued']) Object.defineProperty(this, key, { enumerable: false });
  }

  /** Every token issued lately, for redaction. */
  recentTokens(): readonly string[] {
    return this.issued;
  }

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    this.pending ??= this.fetch().finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /** The partner refused this token: the next call fetches a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetch(): Promise<string> {
    const a = this.auth;
    const what = 'OAuth2 token request';
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (a.scope) form.set('scope', a.scope);
    if (a.audience) form.set('audience', a.audience);
    // RFC 6749 2.3.1: client_secret_basic, with both parts form-encoded.
    const authorization = basicAuthorization(encodeURIComponent(a.clientId), encodeURIComponent(a.clientSecret));
    let res: CappedResponse;
    try {
      res = await cappedRequest(this.agent, a.tokenUrl, {
        method: 'POST', body: form.toString(), timeoutMs: this.timeoutMs, maxBytes: MAX_TOKEN_BODY_BYTES,
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
    } catch (e) {
      const error = fromTransportError(e, what, 'HTTP connections always verify certificates: the token URL needs one the engine trusts');
      throw new HandlerHttpError(null, error.retriable, this.scrub(error.message), undefined, true);
    }
    const status = res.status;
    if (res.body.truncated) {
      throw new HandlerHttpError(status, isRetriableStatus(status),
        this.scrub(`${what} failed: the ${status} answer is larger than ${MAX_TOKEN_BODY_BYTES / 1024} KiB`), undefined, true);
    }
    const text = res.body.text ?? '';
    if (status < 200 || status >= 300) {
      const retriable = isRetriableStatus(status);
      throw new HandlerHttpError(status, retriable, this.scrub(`${what} failed (HTTP ${status}): ${truncate(withoutCredentialShapes(this.scrub(text.trim())), 300)}`),
        retriable ? parseRetryAfter(res.headers['retry-after']) : undefined, true);
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = {};
    }
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new HandlerHttpError(status, false, `${what}: the response has no access_token`, undefined, true);
    }
    const token = body.access_token;
    const lifetimeMs = lifetimeOf(body.expires_in);
    const refreshAt = this.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    this.cached = { token, refreshAt };
    this.issued.unshift(token);
    this.issued.splice(REMEMBERED);
    return token;
  }
}

/** expires_in as a number of seconds, or a string of one (as some endpoints send it); else the default. */
function lifetimeOf(expiresIn: unknown): number {
  const seconds = typeof expiresIn === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_LIFETIME_MS;
}
