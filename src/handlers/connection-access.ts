import { ConfigError } from '../config/load-config';
import type { HandlersConfig } from './handlers-config';

/**
 * With callers authenticated, Baton does not start while a connection leaves its `…SERVICES`
 * unset: a connection carries its partner's credentials, and unset would let every service's
 * templates have Baton call the partner with them. `*` opens it to every service, said out loud.
 * Without authentication every caller is trusted alike, a list would protect nothing, and unset
 * stays open (the loopback default). Checked with the other settings, before anything starts.
 */
export function requireListedConnections(handlers: HandlersConfig, authEnabled: boolean): HandlersConfig {
  const unlisted = handlers.unlistedConnections();
  if (!authEnabled || unlisted.length === 0) return handlers;
  throw new ConfigError(`${unlisted.join(', ')} must be set when callers are authenticated: the services whose templates may `
    + `use ${unlisted.length === 1 ? 'the connection' : 'each connection'} and its credentials, comma-separated, or * for every service`);
}
