/*
 * What an `http` step may ask for, checked when the template is registered and again when a call
 * is built (values from the payload arrive only then). A template picks a configured connection
 * and a path under its base URL: it can never name a host, a scheme or a port, nor step out of
 * the base path, nor set the headers that carry credentials or decide where a request goes.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Set by Baton (auth, correlation, idempotency, tracing) or by the HTTP client itself. */
const FORBIDDEN_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'host', 'content-length', 'transfer-encoding',
  'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'forwarded', 'via', 'x-real-ip',
  'x-correlation-id', 'idempotency-key', 'traceparent', 'tracestate', 'baggage',
  'x-http-method-override', 'x-http-method', 'x-method-override', 'x-original-url', 'x-rewrite-url',
]);
const FORBIDDEN_PREFIXES = ['x-forwarded-', 'proxy-', 'sec-'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Why a request header name may not be set by a template, or undefined when it may. */
export function headerProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return 'is not a valid header name';
  const lower = name.toLowerCase();
  if (FORBIDDEN_HEADERS.has(lower) || FORBIDDEN_PREFIXES.some((p) => lower.startsWith(p))) {
    return `cannot be set by a template (Baton sets credentials, Host, X-Correlation-ID, Idempotency-Key and tracing headers itself)`;
  }
  return undefined;
}

/** Why a header value cannot be sent (CR, LF or NUL would split or end the header). */
export function headerValueProblem(value: string): string | undefined {
  return /[\r\n\0]/.test(value) ? 'must not contain CR, LF or NUL' : value.length > 8192 ? 'must be at most 8192 characters' : undefined;
}

/** The decoded segments of a path; undefined if one cannot be decoded (its checks would see nothing). */
function decodedSegments(path: string): string[] | undefined {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/**
 * How many times a server may decode a path before routing it. Some proxy + app server pairs
 * decode twice, so `%252e%252e` reaches the router as `..`; a third round covers one more hop.
 */
const DECODING_ROUNDS = 3;

/**
 * One more decoding round, as a lenient server would do it: only ASCII escapes, the only ones that
 * can form `.`, `/`, `\`, `;` or a control character. Other bytes stay as they are, so it never
 * throws and stays linear.
 */
function decodeAsciiEscapes(segment: string): string {
  return segment.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Why a segment, as some decoding round left it, would let a call leave the base path. */
function segmentProblem(segment: string): string | undefined {
  if (/[\\/]/.test(segment)) return 'must not contain an encoded / or \\ (%2F, %5C, also when encoded more than once)';
  if (/[\0\r\n]/.test(segment)) return 'must not contain backslashes, whitespace or control characters';
  // Tomcat and Spring drop a segment's path parameters (`;…`) before resolving dots: `..;` climbs as `..` does.
  if (/^\.\.?(;|$)/.test(segment)) {
    return 'must not contain . or .. segments, with or without ;parameters, also when encoded more than once (a call cannot leave the connection\'s base path)';
  }
  return undefined;
}

/** The first problem a server decoding a segment up to DECODING_ROUNDS times would run into. */
function decodedSegmentProblem(decodedOnce: string): string | undefined {
  let segment = decodedOnce;
  for (let round = 1; round <= DECODING_ROUNDS; round++) {
    const problem = segmentProblem(segment);
    if (problem) return problem;
    const next = decodeAsciiEscapes(segment);
    if (next === segment) return undefined;
    segment = next;
  }
  return undefined;
}

/**
 * Why a path cannot be appended to a connection's base URL, or undefined when it can. Applied to
 * the template (placeholders included) and to the path a call actually uses.
 */
export function pathProblem(path: string): string | undefined {
  if (path.length > 2000) return 'must be at most 2000 characters';
  if (SCHEME.test(path)) return 'must be a path under the connection, not an absolute URL (the connection decides the host)';
  if (!path.startsWith('/')) return 'must start with /';
  if (path.startsWith('//')) return 'must not start with // (that would name another host)';
  if (/[\\\s\0]/.test(path) || /%(00|0a|0d|5c)/i.test(path)) return 'must not contain backslashes, whitespace or control characters';
  if (/[?#]/.test(path)) return 'must not contain ? or # (give query parameters in `query`)';
  // Some servers and proxies decode %2F before routing: an encoded slash could still climb out.
  if (/%(2f|5c)/i.test(path)) return 'must not contain an encoded / or \\ (%2F, %5C)';
  const segments = decodedSegments(path);
  // Undecodable (%FF): what a server makes of it is unknown, so nothing after it could be checked.
  if (!segments) return 'must be valid percent-encoded UTF-8 (a segment cannot be decoded)';
  for (const segment of segments) {
    const problem = decodedSegmentProblem(segment);
    if (problem) return problem;
  }
  return undefined;
}

/** A JSON path into a response body: `status`, `data.items[0].id` or `$.data.state`. */
export const JSON_PATH = /^(\$\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+|\[\d+\])*$/;
