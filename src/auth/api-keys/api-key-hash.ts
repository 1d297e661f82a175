import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (secret: string, salt: Buffer, length: number, options: object) => Promise<Buffer>;

// OWASP's scrypt minimum (N=2^17, r=8, p=1) costs ~0.3 s per check on this class of machine;
// keys carry 256 random bits, so brute force is hopeless at any cost and 2^15 keeps a check ~40 ms.
const N = 2 ** 15;
const R = 8;
const P = 1;
const LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`, so the parameters can be raised later without breaking stored keys. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, LENGTH, { N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length,
    { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY });
  return timingSafeEqual(actual, expected);
}

/**
 * Spends what a check of a stored key costs, for a prefix that names no key: answered at once, a
 * refusal would tell by its timing whether a prefix seen somewhere (a log, a leaked config) is
 * still a live key. The hash is of a random secret nothing matches.
 */
export async function verifyNothing(secret: string): Promise<false> {
  unknownKeyHash ??= hashSecret(randomBytes(32).toString('base64url'));
  await verifySecret(secret, await unknownKeyHash);
  return false;
}

let unknownKeyHash: Promise<string> | undefined;
