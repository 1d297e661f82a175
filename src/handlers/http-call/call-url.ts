import { pathProblem } from './call-rules';

export class CallUrlError extends Error {}

/**
 * The URL of a call: the connection's base URL, the path under it and the query. Checked once
 * more after placeholders were filled in: the result must keep the base URL's origin and stay
 * under its base path, whatever the payload held.
 */
export function callUrl(baseUrl: string, path: string, query: Record<string, string> = {}): URL {
  const problem = pathProblem(path);
  if (problem) throw new CallUrlError(`path ${JSON.stringify(path.slice(0, 200))} ${problem}`);
  const base = new URL(baseUrl);
  const url = new URL(`${baseUrl}${path}`);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) {
    throw new CallUrlError(`path ${JSON.stringify(path.slice(0, 200))} leaves the connection's base URL`);
  }
  for (const [key, value] of Object.entries(query)) url.searchParams.append(key, value);
  return url;
}

/**
 * The status URL an asynchronous API answered (a Location header or a field of its body), as a
 * path (and query string) under the connection's base URL; refused when it names another origin or lies
 * outside the base path, so a partner's answer cannot send Baton's credentials elsewhere.
 */
export function statusPathOf(baseUrl: string, requestUrl: string, location: string): { path: string; search: string } {
  if (location.length > 2000) throw new CallUrlError('the status URL is longer than 2000 characters');
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    throw new CallUrlError('the status URL is not a URL');
  }
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin) throw new CallUrlError(`the status URL is on another origin (${url.origin}); only the connection's origin is polled`);
  if (!url.pathname.startsWith(`${basePath}/`)) throw new CallUrlError('the status URL is outside the connection\'s base path');
  const path = url.pathname.slice(basePath.length);
  const problem = pathProblem(path);
  if (problem) throw new CallUrlError(`the status URL path ${problem}`);
  return { path, search: url.search };
}
