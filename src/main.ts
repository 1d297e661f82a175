import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { httpAdapter } from './common/http/http-adapter';
import { AppConfig } from './config/app-config';
import { consoleBuilt } from './console/console-static';
import { ConfigError, loadConfig } from './config/load-config';
import { startLine } from './config/start-line';
import { prepareDataDir } from './database/embedded-database';
import { GracefulStop } from './health/graceful-stop';
import { loadHandlersConfig } from './handlers/handlers-config';
import { stopTracingOnShutdown } from './tracing/tracing.module';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
    loadHandlersConfig(process.env);
    if (config.embedded) prepareDataDir(config.DATA_DIR);
  } catch (e) {
    // Before the logger exists: one line naming every bad variable, then stop.
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  // Before anything makes a span; loaded only when configured, so tracing off costs no SDK.
  if (config.tracingEnabled) stopTracingOnShutdown((await import('./tracing/otel-sdk.js')).startTracing(config));
  const app = await NestFactory.create(AppModule, httpAdapter(config), { bufferLogs: true, bodyParser: false, abortOnError: false });
  configureApp(app);
  new GracefulStop(app, config.shutdownDrainMs).listen();
  await app.listen(config.PORT, config.HOST);
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('Baton').log(startLine(config, port, consoleBuilt(config.CONSOLE_DIR)));
}

bootstrap().catch((e: Error) => {
  process.stderr.write(`Baton failed to start: ${e.message}\n`);
  process.exit(1);
});
