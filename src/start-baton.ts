import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { httpAdapter } from './common/http/http-adapter';
import { bootLogger } from './common/logging/nest-logger';
import { AppConfig } from './config/app-config';
import { startLine } from './config/start-line';
import { consoleBuilt } from './console/console-static';
import { EmbeddedDatabase } from './database/embedded-database';
import { GracefulStop } from './health/graceful-stop';

/** What a newcomer does about a failed start whose message alone does not say. */
function hintFor(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (another process listens there: stop it, or set PORT)' : '';
}

/**
 * Starts Nest on a validated config, listens, and says where. Nest starts with the configured
 * logger, so a start that fails inside it (the database unreachable, authentication on with no way
 * in) is reported in the configured format, JSON for a log collector, where Nest's default logger
 * wrote colours and a stack per retry. Resolves to undefined when the start failed (logged).
 */
export async function startBaton(config: AppConfig): Promise<INestApplication | undefined> {
  const logger = bootLogger(config);
  let app: INestApplication | undefined;
  const databasesBefore = EmbeddedDatabase.openNow();
  try {
    app = await NestFactory.create(AppModule, httpAdapter(config), { logger, bodyParser: false, abortOnError: false });
    configureApp(app);
    new GracefulStop(app, config.shutdownDrainMs).listen();
    await app.listen(config.PORT, config.HOST);
    const { port } = app.getHttpServer().address() as AddressInfo;
    new Logger('Baton').log(startLine(config, port, consoleBuilt(config.CONSOLE_DIR)));
    return app;
  } catch (e) {
    logger.fatal(`Baton failed to start: ${(e as Error).message}${hintFor(e)}`, 'Baton');
    // A half-started app still runs its loops and holds the data directory's lock; with no app, the
    // embedded database its providers opened is closed here.
    await app?.close().catch(() => undefined);
    if (!app) await EmbeddedDatabase.closeOpenedSince(databasesBefore);
    return undefined;
  }
}
