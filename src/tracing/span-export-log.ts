import type { LoggerService } from '@nestjs/common';
import type { DiagLogger } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { OutageLog } from '../common/logging/outage-log';

/**
 * The OpenTelemetry SDK's diagnostics, registered at WARN: without them a collector that refuses
 * the spans (a wrong endpoint, a 401) went unnoticed. At that level the SDK speaks only of its
 * exports (a failed batch reaches its global error handler, which writes it here as an error; a
 * full queue is a warning), so every line is one outage of the collector, written once when it
 * starts and a minute while it lasts, as the other outages are (a line per batch otherwise),
 * and ended by the next batch the collector takes.
 */
export class SpanExportLog implements DiagLogger {
  private readonly outage: OutageLog;

  constructor(logger: LoggerService) {
    this.outage = new OutageLog(logger, 'sending spans to the OpenTelemetry collector');
  }

  error(message: string): void {
    this.outage.unavailable(reasonOf(message));
  }

  warn(message: string): void {
    this.outage.unavailable(reasonOf(message));
  }

  // Below WARN the SDK is not asked to write anything; these only complete the interface.
  info(): void {}
  debug(): void {}
  verbose(): void {}

  /** `exporter`, telling this log when a batch went out: the end of an outage. */
  watching(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans, done) => exporter.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) this.outage.succeeded();
        done(result);
      }),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }
}

/**
 * The SDK's error handler writes an exception as the JSON of all its properties, stack included:
 * its message (and the collector's status code, when it answered) is the reason.
 */
function reasonOf(message: string): string {
  try {
    const error = JSON.parse(message) as { message?: unknown; code?: unknown };
    if (typeof error.message !== 'string') return message;
    const code = typeof error.code === 'string' && !error.message.includes(error.code) ? ` (${error.code})` : '';
    return `${error.message || 'no message'}${code}`;
  } catch {
    return message;
  }
}
