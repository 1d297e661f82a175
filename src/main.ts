import 'reflect-metadata';
import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { prepareDataDir } from './database/prepare-data-dir';
import { requireListedConnections } from './handlers/connection-access';
import { loadHandlersConfig } from './handlers/handlers-config';
import { startBaton } from './start-baton';
import { stopTracingOnShutdown } from './tracing/tracing.module';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
    requireListedConnections(loadHandlersConfig(process.env), config.authEnabled);
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
  if (!(await startBaton(config))) process.exit(1);
}

bootstrap().catch((e: Error) => {
  process.stderr.write(`Baton failed to start: ${e.message}\n`);
  process.exit(1);
});
