// Every call the console makes goes through here: the credential (an API key or an OIDC access
// token) as a Bearer token, renewed before it expires when it can be, and one place that turns a
// 401 or an expired token into the login form.
import { serverClock } from '../lib/server-clock';
import { type HeldToken, renewalDue } from '../lib/token-renewal';
import type { Problem } from './types';

const KEY = 'baton.apiKey';
const TOKEN = 'baton.accessToken';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string,
    /** What was wrong with the request, field by field (a 400's body). */
    readonly problems: Problem[] = [],
    /** The request's id in Baton's logs, for whoever supports Baton. */
    readonly correlationId: string | null = null,
    /** How long Baton asked to wait before trying again (a 429's or 503's Retry-After), in seconds. */
    readonly retryAfterSeconds: number | null = null,
    /** The whole answer: a health check's 503 carries which dependency is down. */
    readonly body: unknown = null) {
    super(message);
  }
}

/**
 * The request never got an answer (Baton down, the network cut): not a refusal. What it asked
 * for may or may not have been done, which an action must say.
 */
export class NetworkError extends Error {
  constructor(reason = 'Baton is unreachable') {
    super(reason);
  }
}

/**
 * How long a call waits for its whole answer: a hung request held a page's polling (one read in
 * flight at a time) and an action's dialog at "Working…" for good.
 */
export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * A 502, 503 or 504 that is not Baton's own JSON error: a proxy or load balancer in front saying
 * Baton is down or did not answer in time, which may be after Baton applied what was asked.
 */
const fromGateway = (status: number, body: unknown) => [502, 503, 504].includes(status) && (body === null || typeof body !== 'object');

/** The error an answer that is not 2xx stands for, from Baton's error body (or what there is of one). */
export function apiErrorOf(res: Pick<Response, 'status' | 'statusText' | 'headers'>, body: unknown): ApiError {
  const err = (body !== null && typeof body === 'object' ? body : {}) as { code?: unknown; message?: unknown; problems?: unknown; correlationId?: unknown };
  const problems = Array.isArray(err.problems)
    ? err.problems.filter((p): p is Problem => typeof p?.message === 'string').map((p) => ({ path: typeof p.path === 'string' ? p.path : '', message: p.message }))
    : [];
  const correlationId = typeof err.correlationId === 'string' ? err.correlationId : res.headers.get('X-Correlation-ID');
  const retryAfter = Number(res.headers.get('Retry-After'));
  return new ApiError(res.status, typeof err.code === 'string' ? err.code : `HTTP_${res.status}`,
    typeof err.message === 'string' ? err.message : res.statusText || `HTTP ${res.status}`, problems, correlationId,
    res.headers.get('Retry-After') !== null && Number.isFinite(retryAfter) ? retryAfter : null, body);
}

/** Why the login form shows: `refused` when a credential was sent and the API refused it. */
export type SignInReason = 'required' | 'refused' | 'expired';
/** `error`: the API's refusal, whose message says why (`API key ab12 is revoked`). */
type Listener = (reason: SignInReason, error?: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();

export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Both are kept for this tab only (sessionStorage); signing in with one forgets the other. */
export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => { accessToken.clear(); sessionStorage.setItem(KEY, key); },
  clear: () => sessionStorage.removeItem(KEY),
};

export interface StoredToken extends HeldToken { token: string }

export const accessToken = {
  get: (): StoredToken | null => {
    try {
      const stored = JSON.parse(sessionStorage.getItem(TOKEN) ?? 'null') as Partial<Record<keyof StoredToken, unknown>> | null;
      if (typeof stored?.token !== 'string' || typeof stored.expiresAt !== 'number') return null;
      // A token stored before receivedAt was kept counts as received now.
      return { token: stored.token, expiresAt: stored.expiresAt, receivedAt: typeof stored.receivedAt === 'number' ? stored.receivedAt : Date.now() };
    } catch {
      return null;
    }
  },
  set: (token: string, expiresInSeconds: number) => {
    apiKey.clear();
    const now = Date.now();
    sessionStorage.setItem(TOKEN, JSON.stringify({ token, receivedAt: now, expiresAt: now + expiresInSeconds * 1000 }));
  },
  clear: () => sessionStorage.removeItem(TOKEN),
};

/**
 * Renews the access token before it expires (an OIDC sign-in whose provider gave a refresh
 * token); resolves false when it cannot. Set by the app, so this module loads no OIDC code.
 */
type Renewer = () => Promise<boolean>;
let renewer: Renewer | null = null;
let renewing: Promise<boolean> | null = null;

export function setTokenRenewer(renew: Renewer | null): void {
  renewer = renew;
}

export const signedIn = () => apiKey.get() !== null || accessToken.get() !== null;

/**
 * Set by a sign-out for the rest of the page's life (it reloads the page): a token renewal still
 * in flight must not store what it gets when it completes, signing the person back in.
 */
let signingOut = false;
export const hasSignedOut = () => signingOut;

export function signOut() {
  signingOut = true;
  apiKey.clear();
  accessToken.clear();
  signOutListeners.forEach((l) => l());
}

/** What else a sign-out forgets (the OIDC refresh token). */
const signOutListeners = new Set<() => void>();
export const onSignOut = (listener: () => void) => signOutListeners.add(listener);

const notify = (reason: SignInReason, error?: ApiError) => unauthorizedListeners.forEach((l) => l(reason, error));

/** The access token to send, renewed first when it is due (one renewal for all the calls waiting on it). */
async function currentToken(): Promise<StoredToken | null> {
  const token = accessToken.get();
  if (!token || !renewer || !renewalDue(token, Date.now())) return token;
  renewing ??= renewer().catch(() => false).finally(() => { renewing = null; });
  await renewing;
  return accessToken.get();
}

/**
 * `credential: false` sends none: for public routes whose answer does not depend on who asks
 * (console-config). Baton checks a credential sent to a public route all the same, so a mistyped
 * key sent there too counted as a second failed sign-in towards the address's lockout.
 */
export interface RequestOptions { credential?: boolean }

export async function request<T>(path: string, init: RequestInit = {}, { credential: send = true }: RequestOptions = {}): Promise<T> {
  const token = send ? await currentToken() : null;
  if (token && token.expiresAt <= Date.now()) {
    // Not sent: the person signs in again rather than seeing the API refuse a stale token.
    accessToken.clear();
    notify('expired');
    throw new ApiError(401, 'SESSION_EXPIRED', 'Your session expired. Sign in again.');
  }
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  // The bearer: the access token until it expires, or the API key; none without either.
  const credential = send ? token?.token ?? apiKey.get() : null;
  if (credential) headers.set('Authorization', `Bearer ${credential}`);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), REQUEST_TIMEOUT_MS);
  let res: Response;
  let text: string;
  const sentAt = Date.now();
  let receivedAt = sentAt;
  try {
    res = await fetch(path, { ...init, headers, signal: init.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal });
    receivedAt = Date.now();
    text = await res.text();
  } catch {
    throw new NetworkError(timeout.signal.aborted ? `Baton did not answer within ${REQUEST_TIMEOUT_MS / 1000} s` : undefined);
  } finally {
    clearTimeout(timer);
  }
  const body = text ? safeJson(text) : null;
  // A gateway's own answer would date the gateway's clock, not Baton's.
  if (!fromGateway(res.status, body)) serverClock.observe(res.headers.get('Date'), sentAt, receivedAt);
  if (res.ok) return body as T;
  if (fromGateway(res.status, body)) throw new NetworkError(`Baton is unreachable (HTTP ${res.status} from the way to it)`);
  const error = apiErrorOf(res, body);
  if (res.status === 401 && send) notify(credential ? 'refused' : 'required', error);
  throw error;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `?a=1&b=x` from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const postJson = <T>(path: string, body: unknown) =>
  request<T>(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
