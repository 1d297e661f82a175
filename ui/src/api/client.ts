// Every call the console makes goes through here: the credential (an API key or an OIDC access
// token) as a Bearer token, renewed before it expires when it can be, and one place that turns a
// 401 or an expired token into the login form.
import { type HeldToken, renewalDue } from '../lib/token-renewal';

const KEY = 'baton.apiKey';
const TOKEN = 'baton.accessToken';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Why the login form shows: `refused` when a credential was sent and the API refused it. */
export type SignInReason = 'required' | 'refused' | 'expired';
type Listener = (reason: SignInReason) => void;
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

export function signOut() {
  apiKey.clear();
  accessToken.clear();
  signedOut.forEach((l) => l());
}

/** What else a sign-out forgets (the OIDC refresh token). */
const signedOut = new Set<() => void>();
export const onSignOut = (listener: () => void) => signedOut.add(listener);

const notify = (reason: SignInReason) => unauthorizedListeners.forEach((l) => l(reason));

/** The access token to send, renewed first when it is due (one renewal for all the calls waiting on it). */
async function currentToken(): Promise<StoredToken | null> {
  const token = accessToken.get();
  if (!token || !renewer || !renewalDue(token, Date.now())) return token;
  renewing ??= renewer().catch(() => false).finally(() => { renewing = null; });
  await renewing;
  return accessToken.get();
}

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = await currentToken();
  if (token && token.expiresAt <= Date.now()) {
    // Not sent: the person signs in again rather than seeing the API refuse a stale token.
    accessToken.clear();
    notify('expired');
    throw new ApiError(401, 'SESSION_EXPIRED', 'Your session expired. Sign in again.');
  }
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  // The bearer: the access token until it expires, or the API key; none without either.
  const credential = token?.token ?? apiKey.get();
  if (credential) headers.set('Authorization', `Bearer ${credential}`);
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) notify(credential ? 'refused' : 'required');
  const text = await res.text();
  const body = text ? safeJson(text) : null;
  if (!res.ok) {
    const err = (body ?? {}) as { code?: string; message?: string };
    throw new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? (res.statusText || `HTTP ${res.status}`));
  }
  return body as T;
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
