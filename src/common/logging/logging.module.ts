import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../../config/app-config';
import { logTraceFields } from '../../tracing/log-trace-fields';
import { correlationIdFor } from './correlation';
import { chooseLogFormat } from './log-format';
import { prettyStream } from './pretty-stream';

/**
 * Structured logs, JSON or pretty (see log-format.ts); every HTTP line carries the correlation id
 * as `correlationId`, every line written inside a span its `trace_id` and `span_id`.
 */
const QUIET_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

function logsInfo(level: string): boolean {
  return !QUIET_LEVELS.has(level);
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options: Options = {
          level: config.LOG_LEVEL,
          mixin: logTraceFields,
          genReqId: correlationIdFor,
          customAttributeKeys: { reqId: 'correlationId' },
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          // Its request lines are all at info: above that, skip the per-request listeners altogether.
          autoLogging: logsInfo(config.LOG_LEVEL)
            ? { ignore: (req) => req.url === '/metrics' || (req.url ?? '').endsWith('/health') } : false,
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
          },
        };
        const pretty = chooseLogFormat(config.LOG_FORMAT, process.stdout.isTTY) === 'pretty';
        return { pinoHttp: pretty ? [options, prettyStream()] : options };
      },
    }),
  ],
})
export class LoggingModule {}
