import { Global, Module } from '@nestjs/common';
import { HandlersConfig, loadHandlersConfig } from '../handlers/handlers-config';
import { AppConfig } from './app-config';
import { loadConfig } from './load-config';

/** The only place that reads process.env: the engine's settings and the AWX/OO connections. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig(process.env) },
    { provide: HandlersConfig, useFactory: () => loadHandlersConfig(process.env) },
  ],
  exports: [AppConfig, HandlersConfig],
})
export class ConfigModule {}
