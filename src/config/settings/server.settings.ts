import { IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';
// The same proxy-addr Fastify compiles trustProxy with.
import proxyaddr from '@fastify/proxy-addr';
import { isLoopbackHost } from '../loopback';

/** Fastify's `trustProxy`: the proxies' addresses and subnets, or false (the socket's peer is the client). */
export type TrustProxy = string[] | false;

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_EVERY_HOP = 'TRUST_PROXY must not trust every hop (true, or a subnet of every address: /0, or ::ffff:0:0/96 for every IPv4 client): then any client picks its own address '
  + 'with X-Forwarded-For, locks others out and dodges the failed-login limit. Set the addresses or subnets of the proxies in front of Baton';
/**
 * Fastify 5.12 reads a hop count as "trust no proxy" (its docs: the count cannot check the peer's
 * own address), so a count would silently stop naming clients: refused, saying what to set.
 */
const HOP_COUNT = 'TRUST_PROXY no longer takes a hop count: a count trusts whatever connects, so a client that reaches Baton without '
  + 'passing the proxy picks its own address with X-Forwarded-For. Set the addresses or subnets of the proxies in front of Baton '
  + '(for example 10.0.0.0/8, or loopback)';

/** The lowest and highest address of each family: a subnet that holds both holds the whole family. */
const FAMILY_ENDS = [['0.0.0.0', '255.255.255.255'], ['::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']];

/** Whether an address is trusted by these entries, as Fastify compiles them; undefined when proxy-addr refuses one. */
function trustOf(entries: string[]): ((address: string) => boolean) | undefined {
  try {
    const trust = proxyaddr.compile(entries);
    return (address) => trust(address, 0);
  } catch {
    return undefined;
  }
}

/**
 * Whether one entry trusts every client. proxy-addr refuses a mask of no bits (/0, /00, 0.0.0.0, ::), which is named here
 * for what it means; it takes ::ffff:0:0/96, which holds every IPv4 client. A bare number reads as an IPv4 address, so /0 is 0.0.0.0.
 */
function trustsEveryone(entry: string): boolean {
  const slash = entry.lastIndexOf('/');
  const mask = slash >= 0 && trustOf([entry.slice(0, slash)]) ? trustOf([entry.slice(slash + 1)]) : undefined;
  if (mask?.('0.0.0.0') || mask?.('::')) return true;
  const trust = trustOf([entry]);
  return trust !== undefined && FAMILY_ENDS.some(([low, high]) => trust(low) && trust(high));
}

/**
 * An IPv4 address (or netmask) not written as four decimal parts: proxy-addr reads `2.0` as
 * 2.0.0.0 and `127.1` as 127.0.0.1, where `2.0` was surely meant as two hops.
 */
function shorthandIPv4(entry: string): boolean {
  return entry.split('/').some((part) => /^[\da-fx.]+$/i.test(part) && part.includes('.') && !/^\d{1,3}(\.\d{1,3}){3}$/.test(part));
}

/** Why TRUST_PROXY is refused, or undefined when Fastify can apply it safely. */
function trustProxyProblem(value: unknown): string | undefined {
  const setting = String(value).trim();
  if (setting.toLowerCase() === 'true') return TRUST_EVERY_HOP;
  if (setting === 'false') return undefined;
  if (/^\d+$/.test(setting)) return HOP_COUNT;
  const entries = setting.split(',').map((e) => e.trim());
  if (entries.some(trustsEveryone)) return TRUST_EVERY_HOP;
  // Compiled one by one, so the refusal names the entry proxy-addr refused.
  const bad = entries.find((e) => !trustOf([e]) || shorthandIPv4(e));
  return bad === undefined ? undefined
    : `TRUST_PROXY must be false or a comma-separated list of addresses, subnets (CIDR or netmask), ${PROXY_RANGES.join(', ')}: not "${bad}"`;
}

/** Where Baton listens and what it serves besides the API. */
export class ServerSettings {
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  /** Loopback by default: AUTH_MODE=off is allowed only there. */
  @IsString()
  HOST: string = '127.0.0.1';

  /**
   * The proxies whose X-Forwarded-For names the client: failed logins are counted, and denials
   * audited, per client address. Behind a load balancer the socket's peer is the balancer for everyone.
   */
  @ValidateBy({ name: 'trustProxy', validator: { validate: (v) => !trustProxyProblem(v), defaultMessage: (a) => trustProxyProblem(a?.value) ?? '' } })
  TRUST_PROXY: string = 'false';

  /** Maximum HTTP request body, in bytes. */
  @IsInt() @Min(1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** The built operator console, served at /ui (`npm run build` writes it). */
  @IsString()
  CONSOLE_DIR: string = './ui/dist';

  /**
   * On SIGTERM or SIGINT, how long health answers 503 while everything else keeps serving, before
   * Baton stops: a load balancer's probe sees it and stops sending requests. Default 5 s, or 0 on
   * a loopback HOST, where no balancer waits and Ctrl-C should stop at once.
   */
  @IsOptional() @IsInt() @Min(0) @Max(300)
  SHUTDOWN_DRAIN_SECONDS?: number;

  get shutdownDrainMs(): number {
    return (this.SHUTDOWN_DRAIN_SECONDS ?? (isLoopbackHost(this.HOST) ? 0 : 5)) * 1000;
  }

  get trustProxy(): TrustProxy {
    const setting = this.TRUST_PROXY.trim();
    return setting === 'false' ? false : setting.split(',').map((e) => e.trim());
  }
}
