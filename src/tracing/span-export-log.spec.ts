import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { recordingLogger } from '../../test/helpers/recording-logger';
import { SpanExportLog } from './span-export-log';

describe('SpanExportLog', () => {
  const setUp = () => {
    const { logger, lines } = recordingLogger();
    const results: ExportResult[] = [];
    const inner: SpanExporter = { export: (_spans, done) => done(results.shift()!), shutdown: async () => undefined };
    const log = new SpanExportLog(logger);
    return { lines, results, log, exporter: log.watching(inner) };
  };

  it('writes the reason of an exception the SDK wrote as JSON, without its stack', () => {
    const { lines, log } = setUp();
    log.error(JSON.stringify({ stack: 'Error: connect ECONNREFUSED 127.0.0.1:1\n    at …', message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' }));
    expect(lines).toEqual([['warn', 'sending spans to the OpenTelemetry collector failed: connect ECONNREFUSED 127.0.0.1:1; retrying until the dependency is back']]);
  });

  it('ends the outage at the next batch the collector takes, and announces the next one again', () => {
    const { lines, results, log, exporter } = setUp();
    const done = jest.fn();
    results.push({ code: ExportResultCode.SUCCESS });
    exporter.export([], done);
    log.warn('Dropped 12 spans because maxQueueSize reached');
    log.error('{"message":"Unauthorized","code":"401"}');
    results.push({ code: ExportResultCode.FAILED }, { code: ExportResultCode.SUCCESS });
    exporter.export([], done);
    exporter.export([], done);
    log.error('{"message":"Unauthorized","code":"401"}');
    expect(done.mock.calls.map(([r]) => (r as ExportResult).code)).toEqual([ExportResultCode.SUCCESS, ExportResultCode.FAILED, ExportResultCode.SUCCESS]);
    expect(lines).toEqual([
      ['warn', 'sending spans to the OpenTelemetry collector failed: Dropped 12 spans because maxQueueSize reached; retrying until the dependency is back'],
      ['log', expect.stringMatching(/^sending spans to the OpenTelemetry collector works again after \d+\.\d s \(2 tries failed\)$/)],
      ['warn', 'sending spans to the OpenTelemetry collector failed: Unauthorized (401); retrying until the dependency is back'],
    ]);
  });
});
