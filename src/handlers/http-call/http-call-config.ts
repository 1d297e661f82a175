import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';
import { ConnectionServices, connectionServices } from '../connection-services';

/*
 * Connections of the built-in `http` step (README text). A template names a connection and a path;
 * the origin, the base path and the credentials come only from here.
 *
 *   HTTP_CONNECTIONS=erp,crm            the connection names (letters, digits, _; case-insensitive)
 * Per connection (prefix HTTP_<NAME>_):
 *   BASE_URL                 http(s) URL, optionally with a base path (https://erp.example.com/api);
 *                            a step's path is resolved under it and can never leave it
 *   TOKEN                    bearer token
 *   USERNAME, PASSWORD       Basic auth
 *   TOKEN_URL, CLIENT_ID, CLIENT_SECRET, SCOPE, AUDIENCE
 *                            OAuth2 client-credentials grant; the access token is cached and
 *                            fetched again before it expires (or after a 401)
 *   API_KEY, API_KEY_HEADER  a key sent in a header of its own (API_KEY_HEADER, default X-API-Key):
 *                            kept here, not written into a template, where every viewer reads it
 *   (none of them: no authentication)
 *   CONNECT_TIMEOUT_MS       5000
 *   TIMEOUT_MS               30000   per call: to the response headers and between body chunks;
 *                                    a step's `timeoutMs` may only shorten it
 *   MAX_RESPONSE_BYTES       65536   larger response bodies are not kept (output body null, bodyTruncated)
 *   SERVICES                 the services whose templates may name the connection (comma-separated, or *);
 *                            unset: any service while callers are not authenticated; with
 *                            authentication on, Baton does not start without it
 */

export type HttpAuth =
  | { scheme: 'none' }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'basic'; username: string; password: string }
  | { scheme: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string; audience?: string }
  | { scheme: 'apiKey'; header: string; key: string };

/** A resolved HTTP connection. Credentials stay in here: never log or serialise this object. */
export interface HttpConnectionConfig {
  name: string;
  /** Origin plus base path, without a trailing slash. */
  baseUrl: string;
  auth: HttpAuth;
  connectTimeoutMs: number;
  timeoutMs: number;
  maxResponseBytes: number;
  /** The services whose templates may name it (connectionServices). */
  services: ConnectionServices;
}

const URL_OPTIONS = { protocols: ['http', 'https'], require_tld: false, require_protocol: true, require_valid_protocol: true };

/** A header name (RFC 9110 token) other than those Baton or the HTTP client set on every call. */
const API_KEY_HEADER = /^(?!(host|content-length|content-type|transfer-encoding|connection|accept|x-correlation-id|idempotency-key|traceparent|tracestate)$)[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/i;

class HttpConnectionEnv {
  @IsUrl(URL_OPTIONS, { message: 'BASE_URL must be an http(s) URL' }) BASE_URL!: string;
  @IsOptional() @IsString() TOKEN?: string;
  @IsOptional() @IsString() USERNAME?: string;
  @IsOptional() @IsString() PASSWORD?: string;
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'TOKEN_URL must be an http(s) URL' }) TOKEN_URL?: string;
  @IsOptional() @IsString() CLIENT_ID?: string;
  @IsOptional() @IsString() CLIENT_SECRET?: string;
  @IsOptional() @IsString() SCOPE?: string;
  @IsOptional() @IsString() AUDIENCE?: string;
  @IsOptional() @IsString() API_KEY?: string;
  @IsOptional() @Matches(API_KEY_HEADER, { message: 'API_KEY_HEADER must be a header name Baton does not set itself (X-API-Key, Authorization…)' })
  API_KEY_HEADER?: string;
  @IsInt() @Min(1) CONNECT_TIMEOUT_MS: number = 5000;
  @IsInt() @Min(1) TIMEOUT_MS: number = 30_000;
  @IsInt() @Min(1024) @Max(16 * 1024 * 1024) MAX_RESPONSE_BYTES: number = 65_536;
}

const KEYS = ['BASE_URL', 'TOKEN', 'USERNAME', 'PASSWORD', 'TOKEN_URL', 'CLIENT_ID', 'CLIENT_SECRET', 'SCOPE', 'AUDIENCE',
  'API_KEY', 'API_KEY_HEADER', 'CONNECT_TIMEOUT_MS', 'TIMEOUT_MS', 'MAX_RESPONSE_BYTES'];
const NAME = /^[A-Za-z0-9_]{1,50}$/;

function pick(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

function authOf(e: HttpConnectionEnv, prefix: string, problems: string[]): HttpAuth {
  const given = [e.TOKEN ? 'TOKEN' : '', e.USERNAME || e.PASSWORD ? 'USERNAME/PASSWORD' : '', e.TOKEN_URL || e.CLIENT_ID || e.CLIENT_SECRET ? 'TOKEN_URL/CLIENT_ID/CLIENT_SECRET' : '',
    e.API_KEY ? 'API_KEY' : ''].filter(Boolean);
  if (e.API_KEY_HEADER && !e.API_KEY) problems.push(`${prefix}API_KEY_HEADER names the header of ${prefix}API_KEY, which is not set`);
  if (given.length > 1) problems.push(`${prefix.slice(0, -1)}: set one kind of credentials, not ${given.map((g) => `${prefix}${g}`).join(' and ')}`);
  if (e.TOKEN) return { scheme: 'bearer', token: e.TOKEN };
  if (e.API_KEY) return { scheme: 'apiKey', header: (e.API_KEY_HEADER ?? 'X-API-Key').toLowerCase(), key: e.API_KEY };
  if (e.USERNAME || e.PASSWORD) {
    if (!e.USERNAME || !e.PASSWORD) problems.push(`${prefix}USERNAME and ${prefix}PASSWORD must be set together`);
    return { scheme: 'basic', username: e.USERNAME ?? '', password: e.PASSWORD ?? '' };
  }
  if (e.TOKEN_URL || e.CLIENT_ID || e.CLIENT_SECRET) {
    if (!e.TOKEN_URL || !e.CLIENT_ID || !e.CLIENT_SECRET) {
      problems.push(`${prefix}TOKEN_URL, ${prefix}CLIENT_ID and ${prefix}CLIENT_SECRET must be set together (OAuth2 client credentials)`);
    }
    return { scheme: 'oauth2', tokenUrl: e.TOKEN_URL ?? '', clientId: e.CLIENT_ID ?? '', clientSecret: e.CLIENT_SECRET ?? '', scope: e.SCOPE, audience: e.AUDIENCE };
  }
  return { scheme: 'none' };
}

function loadOne(name: string, env: NodeJS.ProcessEnv, problems: string[]): HttpConnectionConfig | undefined {
  const prefix = `HTTP_${name.toUpperCase()}_`;
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = pick(env, `${prefix}${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = plainToInstance(HttpConnectionEnv, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const found = validateSync(parsed).map((e) => `${prefix}${Object.values(e.constraints ?? {}).at(-1) ?? `${e.property} is invalid`}`);
  for (const key of ['BASE_URL', 'TOKEN_URL'] as const) {
    if (parsed[key] && /^[a-z]+:\/\/[^/]*@/i.test(parsed[key]!)) found.push(`${prefix}${key} must not contain credentials`);
    if (parsed[key] && /[?#]/.test(parsed[key]!)) found.push(`${prefix}${key} must not contain a query or fragment`);
  }
  const auth = authOf(parsed, prefix, found);
  const services = connectionServices(pick(env, `${prefix}SERVICES`), `${prefix}SERVICES`, found);
  if (found.length) {
    problems.push(...found);
    return undefined;
  }
  return {
    name, baseUrl: parsed.BASE_URL.replace(/\/+$/, ''), auth,
    connectTimeoutMs: parsed.CONNECT_TIMEOUT_MS, timeoutMs: parsed.TIMEOUT_MS, maxResponseBytes: parsed.MAX_RESPONSE_BYTES, services,
  };
}

/** Reads HTTP_CONNECTIONS and each connection's variables; problems are appended, never values. */
export function loadHttpConnections(env: NodeJS.ProcessEnv, problems: string[]): Map<string, HttpConnectionConfig> {
  const out = new Map<string, HttpConnectionConfig>();
  const seen = new Set<string>();
  for (const rawName of (pick(env, 'HTTP_CONNECTIONS') ?? '').split(',').map((n) => n.trim()).filter(Boolean)) {
    const name = rawName.toLowerCase();
    if (!NAME.test(rawName)) problems.push(`HTTP_CONNECTIONS: "${rawName}" is not a connection name (letters, digits, _)`);
    else if (seen.has(name)) problems.push(`HTTP_CONNECTIONS: connection "${rawName}" is defined twice`);
    else if (!pick(env, `HTTP_${rawName.toUpperCase()}_BASE_URL`)) {
      problems.push(`HTTP_${rawName.toUpperCase()}_BASE_URL must be set (connection "${rawName}" is listed in HTTP_CONNECTIONS)`);
    } else {
      seen.add(name);
      const c = loadOne(name, env, problems);
      if (c) out.set(name, c);
    }
  }
  return out;
}

/** The secrets of HTTP connections, for redaction (access tokens fetched later are scrubbed by their client). */
export function httpSecrets(c: HttpConnectionConfig): string[] {
  const a = c.auth;
  switch (a.scheme) {
    case 'bearer': return [a.token];
    case 'apiKey': return [a.key];
    case 'basic': return [a.password, Buffer.from(`${a.username}:${a.password}`).toString('base64')];
    case 'oauth2': return [a.clientSecret, Buffer.from(`${a.clientId}:${a.clientSecret}`).toString('base64'),
      Buffer.from(`${encodeURIComponent(a.clientId)}:${encodeURIComponent(a.clientSecret)}`).toString('base64')];
    default: return [];
  }
}
