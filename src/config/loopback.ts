import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', '::1', '[::1]']);

/** Only the machine itself can reach a listener on these: the one place AUTH_MODE=off is safe. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  return isIP(h) === 4 && h.startsWith('127.');
}
