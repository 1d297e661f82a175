import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HandlersConfig } from './handlers-config';

/**
 * Says at start which connections any service's templates may use, when callers are
 * authenticated. Open is the default, so that templates registered before a connection listed its
 * services keep working on upgrade; on a Baton several teams share, that means any team's template
 * may have Baton call the partner with the connection's credentials. Without authentication every
 * caller is trusted alike, and a list would protect nothing.
 */
@Injectable()
export class ConnectionAccessNotice implements OnApplicationBootstrap {
  private readonly logger = new Logger('Connections');

  constructor(private readonly app: AppConfig, private readonly handlers: HandlersConfig) {}

  onApplicationBootstrap(): void {
    const open = this.handlers.openConnections();
    if (!this.app.authEnabled || open.length === 0) return;
    this.logger.warn({ variables: open }, `${open.length === 1 ? 'a connection is' : `${open.length} connections are`} open to every `
      + `service's templates, credentials and all: set ${open.join(', ')} to the services that may name ${open.length === 1 ? 'it' : 'each'}`);
  }
}
