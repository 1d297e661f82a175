import { secretSpans } from './secret-spans';

const AUTH_HEADER = /(authorization|proxy-authorization|x-csrf-token|cookie)(["']?\s*[:=]\s*["']?)[^"',;\r\n}]+/gi;
// Bounded runs: unbounded, a long run of letters made this quadratic (64 KB of them took 3.7 s).
const URL_USERINFO = /([a-z][a-z0-9+.-]{0,31}:\/\/)[^/@\s]{1,512}@/gi;

/**
 * Removes every known secret, header-shaped credential and URL user-info from a text. A secret is
 * matched in any letter case, as base64 and hex too, and by any run of at least half of it (12
 * characters at least): a partner that echoes a credential back lower-cased, encoded or cut short
 * (an error quoting the first characters of the key it refused) must not get it into a run's output,
 * an error or a log line.
 */
export function redact(text: string, secrets: readonly string[]): string {
  return withoutSecrets(text, secrets).replace(AUTH_HEADER, '$1$2***').replace(URL_USERINFO, '$1***@');
}

/**
 * Removes only the known secrets (as redact finds them), not what is shaped like a credential: for
 * data a later step may need, which may hold a credential of its own that Baton must pass on.
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  return cut(text, secretSpans(secrets).in(text));
}

/** The text with each span (merged where they overlap) replaced by `***`. */
function cut(text: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start >= at) out += `${text.slice(at, start)}***`;
    at = Math.max(at, end);
  }
  return out + text.slice(at);
}

/** Shortens server-supplied text for messages and stored errors. */
export function truncate(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
