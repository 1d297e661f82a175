import { Inject, Injectable } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import type { Params } from 'nestjs-pino';
import type { Level } from 'pino';
import { LogSink } from './log-sink';

/**
 * nestjs-pino's Logger, asking pino first whether a line would be written: nestjs-pino builds
 * each line's object (context, fields) before pino drops it, and the engine logs every run's
 * status change at info and every ignored reply at debug, while production and the benchmark run
 * at warn (0.5-0.7% of the engine's CPU at 32 runs in flight, test/bench/README.md). The lines
 * that are written keep nestjs-pino's shape.
 */
@Injectable()
export class NestLogger extends Logger {
  constructor(logger: PinoLogger, @Inject(PARAMS_PROVIDER_TOKEN) params: Params, private readonly sink: LogSink) {
    super(logger, params);
  }

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
    return this.sink.logger.isLevelEnabled(level);
  }
}
