import { isLoopbackHost } from '../../config/loopback';

export type OriginVerdict = 'allow' | 'foreign-origin' | 'foreign-host';

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return '';
  }
}

/**
 * With AUTH_MODE=off nothing but the network keeps callers out, so a browser must not carry a
 * foreign page's request to us: a foreign `Origin` is refused unless listed in CORS_ORIGINS, and so
 * is a non-loopback `Host` (DNS rebinding: evil.example resolving to 127.0.0.1 makes the page's
 * requests same-origin). Requests from our own pages (the console under /ui) are same-origin.
 * A browser sends no `Origin` with a plain cross-site GET (an image, a script), and such a GET
 * could still lease a worker's commands: its `Sec-Fetch-Site` gives it away.
 */
export function checkOrigin(origin: string | undefined, host: string | undefined, allowed: string[], fetchSite?: string): OriginVerdict {
  if (!host || !isLoopbackHost(hostnameOf(host))) return 'foreign-host';
  if (origin === undefined) return fetchSite === 'cross-site' || fetchSite === 'same-site' ? 'foreign-origin' : 'allow';
  if (allowed.includes(origin)) return 'allow';
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host ? 'allow' : 'foreign-origin';
  } catch {
    return 'foreign-origin';
  }
}
