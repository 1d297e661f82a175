import { IsInt, IsString, Max, Min, ValidateBy } from 'class-validator';
import { isIP } from 'node:net';

/** Express `trust proxy`: a hop count, the proxies' addresses and subnets, or false (the socket's peer is the client). */
export type TrustProxy = number | string[] | false;

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_EVERY_HOP = 'TRUST_PROXY must not trust every hop (true, or a /0 subnet): then any client picks its own address '
  + 'with X-Forwarded-For, locks others out and dodges the failed-login limit. Set the number of proxies in front of Baton, '
  + 'or their addresses';

function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGES.includes(entry) || isIP(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !/^(0|[1-9]\d{0,2})$/.test(bits ?? '')) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Why TRUST_PROXY is refused, or undefined when Express can apply it safely. */
function trustProxyProblem(value: unknown): string | undefined {
  const setting = String(value).trim();
  if (setting.toLowerCase() === 'true') return TRUST_EVERY_HOP;
  if (setting === 'false' || /^\d+$/.test(setting)) return undefined;
  const entries = setting.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isProxyEntry(e));
  if (bad !== undefined) return `TRUST_PROXY must be false, a hop count, or a comma-separated list of addresses, CIDRs, ${PROXY_RANGES.join(', ')}: not "${bad}"`;
  return entries.some((e) => e.endsWith('/0')) ? TRUST_EVERY_HOP : undefined;
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

  get trustProxy(): TrustProxy {
    const setting = this.TRUST_PROXY.trim();
    if (setting === 'false') return false;
    return /^\d+$/.test(setting) ? Number(setting) : setting.split(',').map((e) => e.trim());
  }
}
