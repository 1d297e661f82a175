import { Injectable } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { AppConfig } from '../../config/app-config';
import { logTraceFields } from '../../tracing/log-trace-fields';
import { chooseLogFormat } from './log-format';
import { loggedError } from './logged-error';
import { prettyStream } from './pretty-stream';

/**
 * The process's one pino logger, built from the config: Nest's loggers (through nestjs-pino's
 * Logger) and the HTTP request log write through it, JSON or pretty (see log-format.ts). Every
 * line written inside a span carries its `trace_id` and `span_id`. An error logged as `err` is
 * written without the values of a failed statement (logged-error.ts).
 */
@Injectable()
export class LogSink {
  readonly logger: Pino;

  constructor(config: AppConfig) {
    const pretty = chooseLogFormat(config.LOG_FORMAT, process.stdout.isTTY) === 'pretty';
    // Request lines carry only method and url; should a request object ever be logged whole, its credentials are not.
    const redact = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'];
    const options = { level: config.LOG_LEVEL, mixin: logTraceFields, redact, serializers: { err: loggedError } };
    this.logger = pretty ? pino(options, prettyStream()) : pino(options);
  }
}
