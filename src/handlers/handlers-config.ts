import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidationError, validateSync,
} from 'class-validator';
import { ConfigError } from '../config/load-config';
import { BOOLEAN_SETTING, toBool } from '../config/settings/setting-formats';
import { claimExchanges } from './claim-exchanges';
import { ConnectionServices, connectionServices, servicesAllow, servicesVariableOf } from './connection-services';
import { HttpConnectionConfig, httpSecrets, loadHttpConnections } from './http-call/http-call-config';
import { TARGET_TYPES, TargetKind } from './job-kind';
import { jobKind } from './job-kinds';

/*
 * The built-in handlers' configuration: AWX, Operations Orchestration and HTTP connections, and the
 * job runner's settings. Every variable, its default and its meaning are in the README ("Built-in
 * AWX and Operations Orchestration steps", "Built-in HTTP steps"), the one place they are written.
 *
 * Connections come only from the environment: a template names a connection, it never carries a
 * URL or a credential, so a template's author (any service) cannot point Baton's credentials at a
 * host of its choosing. Names are matched case-insensitively: AWX_CONNECTIONS=prod,lab reads
 * AWX_PROD_HOST, AWX_LAB_TOKEN, and the unprefixed variables are the connection `default`.
 */

export const DEFAULT_CONNECTION = 'default';
export const OO_STATUS_ENDPOINTS = ['summary', 'execution-log'] as const;
export type OoStatusEndpoint = (typeof OO_STATUS_ENDPOINTS)[number];

/** Settings shared by every connection; property names are the variable names. */
export class HandlerSettings {
  @IsInt() @Min(5) HANDLER_POLL_INTERVAL_MS: number = 1000;
  @IsInt() @Min(1) @Max(100) HANDLER_BATCH_SIZE: number = 10;
  @IsInt() @Min(50) HANDLER_LEASE_MS: number = 180_000;
  @IsInt() @Min(1) HANDLER_JOB_POLL_INTERVAL_MS: number = 5000;
  @IsInt() @Min(1) HANDLER_JOB_MAX_POLLS: number = 1440;
  @IsInt() @Min(1) @Max(100) HANDLER_LAUNCH_MAX_ATTEMPTS: number = 5;
  @IsInt() @Min(1) HANDLER_LAUNCH_BACKOFF_INITIAL_MS: number = 5000;
  @IsNumber() @Min(1) HANDLER_LAUNCH_BACKOFF_MULTIPLIER: number = 2;
  @IsInt() @Min(1) HANDLER_LAUNCH_BACKOFF_MAX_MS: number = 120_000;
}

/** One connection's variables without their AWX_/AWX_<NAME>_ prefix. */
class ConnectionEnv {
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true, require_valid_protocol: true },
    { message: 'HOST must be an http(s) URL' })
  HOST!: string;

  @Matches(/^\/[\w\-./]*$/, { message: 'API_PREFIX must be a path starting with /' })
  API_PREFIX!: string;

  @IsOptional() @IsString() USERNAME?: string;
  @IsOptional() @IsString() PASSWORD?: string;
  @IsOptional() @IsString() TOKEN?: string;
  @Transform(toBool) @IsBoolean(BOOLEAN_SETTING) ALLOW_INVALID_SSL: boolean = false;
  @IsInt() @Min(1) CONNECT_TIMEOUT_MS: number = 10_000;
  @IsInt() @Min(1) REQUEST_TIMEOUT_MS: number = 30_000;
  @Transform(toBool) @IsBoolean(BOOLEAN_SETTING) TRACE_EXTRA_VARS: boolean = true;
  @IsIn(OO_STATUS_ENDPOINTS) STATUS_ENDPOINT: OoStatusEndpoint = 'summary';
}

const CONNECTION_KEYS = Object.keys(new ConnectionEnv()).concat(['HOST', 'API_PREFIX', 'USERNAME', 'PASSWORD', 'TOKEN']);

/** A resolved connection. Credentials stay in here: never log or serialise this object. */
export interface ConnectionConfig {
  kind: TargetKind;
  name: string;
  baseUrl: string;
  apiPrefix: string;
  auth: { scheme: 'bearer'; token: string } | { scheme: 'basic'; username: string; password: string };
  allowInvalidSsl: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** AWX only. */
  traceExtraVars: boolean;
  /** OO only. */
  statusEndpoint: OoStatusEndpoint;
  /** The services whose templates may name it (connectionServices). */
  services: ConnectionServices;
}

/**
 * The longest one call of an http connection can hold its claim: connect + timeout, and with
 * OAuth2 a token fetch (with the same bounds) before it, all twice when the partner answers 401
 * to a token it no longer accepts (HttpCallClient.send).
 */
export function longestExchangeMs(c: HttpConnectionConfig): number {
  const call = c.connectTimeoutMs + c.timeoutMs;
  return c.auth.scheme === 'oauth2' ? 2 * (call + call) : call;
}

export class HandlersConfig {
  constructor(
    readonly settings: HandlerSettings,
    private readonly connections: ReadonlyMap<string, ConnectionConfig>,
    private readonly httpConnections: ReadonlyMap<string, HttpConnectionConfig> = new Map(),
  ) {
    // Credentials must not leak through JSON.stringify / util.inspect of the config object.
    Object.defineProperty(this, 'connections', { enumerable: false });
    Object.defineProperty(this, 'httpConnections', { enumerable: false });
  }

  /** A connection of the built-in `http` step (HTTP_CONNECTIONS). */
  httpConnection(name: string): HttpConnectionConfig | undefined {
    return this.httpConnections.get(name.toLowerCase());
  }

  httpConnectionNames(): string[] {
    return [...this.httpConnections.keys()];
  }

  connection(kind: TargetKind, name: string = DEFAULT_CONNECTION): ConnectionConfig | undefined {
    return this.connections.get(`${kind}:${name.toLowerCase()}`);
  }

  /**
   * Whether a template of `service` may name the connection. A connection that is not configured
   * is the step's to fail when it runs, not this check's.
   */
  allowsService(type: TargetKind | 'http', connection: string | undefined, service: string): boolean {
    const c = type === 'http' ? this.httpConnection(connection ?? '') : this.connection(type, connection);
    return !c || servicesAllow(c.services, service);
  }

  /** The `…SERVICES` variables left unset, of configured connections only. */
  unlistedConnections(): string[] {
    return [
      ...[...this.connections.values()].filter((c) => c.services === null).map((c) => servicesVariableOf(c.kind, c.name)),
      ...[...this.httpConnections.values()].filter((c) => c.services === null).map((c) => servicesVariableOf('http', c.name)),
    ];
  }

  /** `awx:default`, `oo:prod`, ...: what is configured, without secrets. */
  connectionNames(): string[] {
    return [...this.connections.keys()];
  }

  /** Every secret, so that text about to be logged or stored can be scrubbed of them. */
  secrets(): string[] {
    const out: string[] = [];
    for (const c of this.connections.values()) {
      if (c.auth.scheme === 'bearer') out.push(c.auth.token);
      else out.push(c.auth.password, Buffer.from(`${c.auth.username}:${c.auth.password}`).toString('base64'));
    }
    for (const c of this.httpConnections.values()) out.push(...httpSecrets(c));
    return out.filter((s) => s.length >= 4);
  }
}

function describe(errors: ValidationError[], prefix: string): string[] {
  return errors.map((e) => {
    const message = Object.values(e.constraints ?? {}).at(-1) ?? 'is invalid';
    return `${prefix}${message.startsWith(e.property) ? message : `${e.property}: ${message}`}`;
  });
}

function pick(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

function loadConnection(kind: TargetKind, name: string, prefix: string, env: NodeJS.ProcessEnv,
  problems: string[]): ConnectionConfig | undefined {
  const raw: Record<string, unknown> = { API_PREFIX: jobKind(kind).defaultApiPrefix };
  for (const key of CONNECTION_KEYS) {
    const value = pick(env, `${prefix}${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = plainToInstance(ConnectionEnv, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const found = describe(validateSync(parsed), prefix);
  if (parsed.HOST && /^[a-z]+:\/\/[^/]*@/i.test(parsed.HOST)) {
    found.push(`${prefix}HOST must not contain credentials; use ${prefix}USERNAME/${prefix}PASSWORD or ${prefix}TOKEN`);
  }
  if (parsed.PASSWORD !== undefined && parsed.USERNAME === undefined) found.push(`${prefix}PASSWORD is set without ${prefix}USERNAME`);
  const services = connectionServices(pick(env, `${prefix}SERVICES`), `${prefix}SERVICES`, found);
  if (!parsed.TOKEN && !(parsed.USERNAME && parsed.PASSWORD)) {
    found.push(`${prefix}TOKEN or ${prefix}USERNAME and ${prefix}PASSWORD must be set`);
  }
  if (found.length) {
    problems.push(...found);
    return undefined;
  }
  return {
    kind, name,
    baseUrl: parsed.HOST.replace(/\/+$/, ''),
    apiPrefix: `/${parsed.API_PREFIX.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, ''),
    auth: parsed.TOKEN ? { scheme: 'bearer', token: parsed.TOKEN }
      : { scheme: 'basic', username: parsed.USERNAME!, password: parsed.PASSWORD! },
    allowInvalidSsl: parsed.ALLOW_INVALID_SSL,
    connectTimeoutMs: parsed.CONNECT_TIMEOUT_MS,
    requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
    traceExtraVars: parsed.TRACE_EXTRA_VARS,
    statusEndpoint: parsed.STATUS_ENDPOINT,
    services,
  };
}

function loadConnections(kind: TargetKind, env: NodeJS.ProcessEnv, problems: string[], into: Map<string, ConnectionConfig>) {
  const upper = kind.toUpperCase();
  if (pick(env, `${upper}_HOST`)) {
    const c = loadConnection(kind, DEFAULT_CONNECTION, `${upper}_`, env, problems);
    if (c) into.set(`${kind}:${DEFAULT_CONNECTION}`, c);
  }
  const list = pick(env, `${upper}_CONNECTIONS`);
  for (const rawName of (list ?? '').split(',').map((n) => n.trim()).filter(Boolean)) {
    if (!/^[A-Za-z0-9_]{1,50}$/.test(rawName)) {
      problems.push(`${upper}_CONNECTIONS: connection name "${rawName}" may only contain letters, digits and _`);
      continue;
    }
    const name = rawName.toLowerCase();
    if (into.has(`${kind}:${name}`)) {
      problems.push(`${upper}_CONNECTIONS: connection "${rawName}" is defined twice`);
      continue;
    }
    const prefix = `${upper}_${rawName.toUpperCase()}_`;
    if (!pick(env, `${prefix}HOST`)) {
      problems.push(`${prefix}HOST must be set (connection "${rawName}" is listed in ${upper}_CONNECTIONS)`);
      continue;
    }
    const c = loadConnection(kind, name, prefix, env, problems);
    if (c) into.set(`${kind}:${name}`, c);
  }
}

/**
 * Reads and validates the AWX_*, OO_* and HANDLER_* variables from the environment it is given;
 * throws one ConfigError naming every bad variable (never echoing a value).
 */
export function loadHandlersConfig(env: NodeJS.ProcessEnv): HandlersConfig {
  const problems: string[] = [];
  const defaults = new HandlerSettings();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) raw[key] = pick(env, key) ?? defaults[key as keyof HandlerSettings];
  const settings = plainToInstance(HandlerSettings, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  problems.push(...describe(validateSync(settings, { forbidUnknownValues: true }), ''));

  const connections = new Map<string, ConnectionConfig>();
  for (const kind of TARGET_TYPES) loadConnections(kind, env, problems, connections);
  for (const c of connections.values()) {
    // A claimed job must finish its HTTP calls before its lease runs out, or a second instance may
    // take it over (and launch again) while the first is still talking to the server.
    const exchanges = claimExchanges(c.kind);
    const longest = exchanges * (c.connectTimeoutMs + c.requestTimeoutMs);
    if (longest >= settings.HANDLER_LEASE_MS) {
      problems.push(`HANDLER_LEASE_MS (${settings.HANDLER_LEASE_MS}) must exceed the ${exchanges} exchanges one claim may make `
        + `with ${c.kind} connection "${c.name}", each up to its connect + request timeout (${longest} ms)`);
    }
  }
  const http = loadHttpConnections(env, problems);
  for (const c of http.values()) {
    const longest = longestExchangeMs(c);
    if (longest >= settings.HANDLER_LEASE_MS) {
      problems.push(`HANDLER_LEASE_MS (${settings.HANDLER_LEASE_MS}) must exceed the longest exchange `
        + `of http connection "${c.name}" (${longest} ms${c.auth.scheme === 'oauth2' ? ': token, call, then a fresh token and the call again after a 401' : ''})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return new HandlersConfig(settings, connections, http);
}
