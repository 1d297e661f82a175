import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { logTraceFields } from '../../tracing/log-trace-fields';
import { correlationIdFor } from './correlation';

/**
 * Structured JSON logs; every HTTP line carries the correlation id as `correlationId`, every line
 * written inside a span its `trace_id` and `span_id`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          mixin: logTraceFields,
          genReqId: correlationIdFor,
          customAttributeKeys: { reqId: 'correlationId' },
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          autoLogging: { ignore: (req) => req.url === '/metrics' || (req.url ?? '').endsWith('/health') },
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
