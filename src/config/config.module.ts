import { Global, Module } from '@nestjs/common';
import { requireListedConnections } from '../handlers/connection-access';
import { HandlersConfig, loadHandlersConfig } from '../handlers/handlers-config';
import { AppConfig } from './app-config';
import { loadConfig } from './load-config';

/** The only place that reads process.env: the engine's settings and the AWX/OO connections. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig(process.env) },
    {
      provide: HandlersConfig, inject: [AppConfig],
      useFactory: (app: AppConfig) => requireListedConnections(loadHandlersConfig(process.env), app.authEnabled),
    },
  ],
  exports: [AppConfig, HandlersConfig],
})
export class ConfigModule {}
