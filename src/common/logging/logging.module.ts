import { Module } from '@nestjs/common';
import { Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import { LogSink } from './log-sink';
import { NestLogger } from './nest-logger';

/**
 * Nest's loggers write through the process's pino logger (LogSink) with nestjs-pino's Logger
 * (NestLogger: level checked first).
 * Not its LoggerModule: that module runs every request inside an AsyncLocalStorage, and on Node 20
 * an AsyncLocalStorage, once entered, turns on promise hooks for every promise the process makes
 * from then on (3.5% of the engine's CPU at 32 runs in flight: test/bench/README.md, Round six).
 * So a line written while a request is handled names the request's correlation id itself.
 */
@Module({
  providers: [
    LogSink,
    { provide: PARAMS_PROVIDER_TOKEN, inject: [LogSink], useFactory: (sink: LogSink): Params => ({ pinoHttp: { logger: sink.logger } }) },
    PinoLogger,
    NestLogger,
  ],
  exports: [LogSink, NestLogger],
})
export class LoggingModule {}
