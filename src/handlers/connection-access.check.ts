import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { HandlersConfig } from './handlers-config';

/**
 * With callers authenticated, Baton does not start while a connection leaves its `…SERVICES`
 * unset: a connection carries its partner's credentials, and unset would let every service's
 * templates have Baton call the partner with them. `*` opens it to every service, said out loud.
 * Without authentication every caller is trusted alike, a list would protect nothing, and unset
 * stays open (the loopback default).
 */
@Injectable()
export class ConnectionAccessCheck implements OnModuleInit {
  constructor(private readonly app: AppConfig, private readonly handlers: HandlersConfig) {}

  onModuleInit(): void {
    const unlisted = this.handlers.unlistedConnections();
    if (!this.app.authEnabled || unlisted.length === 0) return;
    throw new ConfigError(`${unlisted.join(', ')} must be set when callers are authenticated: the services whose templates may `
      + `use ${unlisted.length === 1 ? 'the connection' : 'each connection'} and its credentials, comma-separated, or * for every service`);
  }
}
