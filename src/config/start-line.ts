import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { AppConfig } from './app-config';

/**
 * The line a newcomer looks for once Baton is up: where to point a browser or curl, and what it
 * runs on. Server addresses lose their credentials and query (a password may sit in either).
 */
export function startLine(config: AppConfig, port: number, consoleBuilt: boolean): string {
  const host = isIP(config.HOST) === 6 ? `[${config.HOST}]` : config.HOST;
  // The directory named in full: relative paths are the working directory's, and Baton started elsewhere finds no build.
  const ui = consoleBuilt ? 'UI at /ui' : `no UI build in ${resolve(config.CONSOLE_DIR)}: run npm run build, or set CONSOLE_DIR`;
  return `Baton listening on http://${host}:${port} (${database(config)}, ${broker(config)}, ${ui})`;
}

function database(config: AppConfig): string {
  return config.DATABASE_URL ? `PostgreSQL at ${server(config.DATABASE_URL)}` : `embedded database ${config.DATA_DIR}`;
}

function broker(config: AppConfig): string {
  switch (config.MESSAGING_DRIVER) {
    case 'kafka':
      return `Kafka at ${config.KAFKA_BROKERS ?? ''}`;
    case 'rabbitmq':
      return `RabbitMQ at ${server(config.RABBITMQ_URL ?? '')}`;
    default:
      return 'in-process broker';
  }
}

function server(url: string): string {
  try {
    const { host, pathname } = new URL(url);
    return `${host}${pathname === '/' ? '' : pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
