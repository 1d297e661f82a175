/**
 * A failed call to AWX or OO. `retriable` is true only for network errors, timeouts, 5xx and 429:
 * everything else (400, 401, 403, 404, TLS verification, redirects) fails the step at once.
 * The message never contains credentials (see redact.ts).
 */
export class HandlerHttpError extends Error {
  constructor(
    /** HTTP status, or null when no response arrived (network error, timeout). */
    readonly status: number | null,
    readonly retriable: boolean,
    message: string,
    /** From a 429/503 Retry-After header, when given. */
    readonly retryAfterMs?: number,
    /**
     * The request certainly did nothing (no connection was made, or a 429 refused it): a launch
     * that failed so started no job. False when it may have reached the server (a timeout, a 5xx).
     */
    readonly unsent = false,
    /**
     * The least wait before the call is made again, whatever the retry policy's cap (which bounds
     * `retryAfterMs` only): asked sooner, the partner would answer the same again.
     */
    readonly minDelayMs?: number,
  ) {
    super(message);
    this.name = 'HandlerHttpError';
  }
}

/**
 * A launch answered 2xx in a way Baton cannot read (not JSON, no job id, an id too long to track, too
 * large): the job may have started all the same. A lost answer, then: retriable, and not `unsent`,
 * so the next attempt first looks for the job by the launch's marker. Failed at once, the job ran
 * unfollowed, and a retry of the step launched a second one.
 */
export class UnreadableLaunchAnswer extends HandlerHttpError {
  constructor(status: number, message: string) {
    super(status, true, message);
  }
}

/**
 * A status poll answered 200 in a way Baton cannot read (not JSON, not the expected shape, no status):
 * most likely a proxy's error or maintenance page rather than the partner's word on the job. A
 * failed poll, then: retriable, so it is polled again and counts toward the poll limit. Failed at
 * once, the step failed and the job that still ran was cancelled.
 */
export class UnreadableStatusAnswer extends HandlerHttpError {
  constructor(status: number, message: string) {
    super(status, true, message);
  }
}

export function isRetriableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
]);
const NOT_RETRIABLE_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_URL', 'ERR_INVALID_ARG_TYPE']);
/** Failures before a connection existed: nothing of the request was sent. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function codeOf(error: unknown): string | undefined {
  // undici wraps socket errors: the interesting code may sit on the cause.
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    e = (e as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Classifies an error thrown before any response arrived. `tlsHint`: the sentence a failed certificate
 * verification ends with, what the caller's setting allows ("for a test server … set AWX_ALLOW_INVALID_SSL=true").
 */
export function fromTransportError(error: unknown, what: string, tlsHint: string): HandlerHttpError {
  const code = codeOf(error);
  const detail = (error as Error)?.message ?? String(error);
  if (code && TLS_CODES.has(code)) {
    return new HandlerHttpError(null, false, `${what}: TLS certificate verification failed (${code}: ${detail}); ${tlsHint}`);
  }
  if (code && NOT_RETRIABLE_CODES.has(code)) return new HandlerHttpError(null, false, `${what}: ${detail}`);
  const unsent = !!code && NOT_CONNECTED_CODES.has(code);
  if (code?.endsWith('TIMEOUT') || code === 'ETIMEDOUT' || (error as Error)?.name === 'TimeoutError') {
    return new HandlerHttpError(null, true, `${what}: timed out (${code ?? 'timeout'})`, undefined, unsent);
  }
  return new HandlerHttpError(null, true, `${what}: network error (${code ?? 'unknown'}: ${detail})`, undefined, unsent);
}
