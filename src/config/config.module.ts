import { Global, Module } from '@nestjs/common';
import { requireListedConnections } from '../handlers/connection-access';
import { HandlersConfig, loadHandlersConfig } from '../handlers/handlers-config';
import { AppConfig } from './app-config';
import { loadConfig } from './load-config';

/**
 * Baton's settings and its built-in handlers' connections, from process.env, for injection.
 * main.ts loads them once before this, with no Nest yet, so that a bad variable stops Baton with
 * one line naming it rather than a stack from a module's factory.
 */
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
