import { Injectable } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { Level } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { LogSink } from './log-sink';

/**
 * nestjs-pino's Logger, asking pino first whether a line would be written: nestjs-pino builds
 * each line's object (context, fields) before pino drops it, and the engine logs every run's
 * status change at info and every dispatch at debug, while production and the benchmark run at
 * warn (0.5-0.7% of the engine's CPU at 32 runs in flight, test/bench/README.md). The level is
 * that of the pino logger nestjs-pino writes to. The lines that are written keep its shape.
 * Injected with nestjs-pino's own constructor parameters (PinoLogger, its params).
 */
@Injectable()
export class NestLogger extends Logger {
  override verbose(message: unknown, ...optionalParams: unknown[]): void {
    if (this.writes('trace')) super.verbose(message, ...optionalParams);
  }

  override debug(message: unknown, ...optionalParams: unknown[]): void {
    if (this.writes('debug')) super.debug(message, ...optionalParams);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (this.writes('info')) super.log(message, ...optionalParams);
  }

  override warn(message: unknown, ...optionalParams: unknown[]): void {
    if (this.writes('warn')) super.warn(message, ...optionalParams);
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (this.writes('error')) super.error(message, ...optionalParams);
  }

  override fatal(message: unknown, ...optionalParams: unknown[]): void {
    if (this.writes('fatal')) super.fatal(message, ...optionalParams);
  }

  private writes(level: Level): boolean {
    return this.logger.logger.isLevelEnabled(level);
  }
}

/**
 * The logger Nest starts with, before its container exists, built as LoggingModule builds the
 * container's: a start that fails (the database unreachable) is reported in the configured format,
 * JSON for a log collector, rather than in Nest's coloured default with a stack per retry.
 */
export function bootLogger(config: AppConfig): NestLogger {
  const params = { pinoHttp: { logger: new LogSink(config).logger } };
  return new NestLogger(new PinoLogger(params), params);
}
