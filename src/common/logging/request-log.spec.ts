import { AppConfig } from '../../config/app-config';
import { LogSink } from './log-sink';
import { isProbe, requestLog } from './request-log';

const sinkAt = (level: string) => new LogSink(Object.assign(new AppConfig(), { LOG_LEVEL: level, LOG_FORMAT: 'json' }));

describe('requestLog', () => {
  it('is mounted at info and below, where its lines are written', () => {
    for (const level of ['trace', 'debug', 'info']) expect(requestLog(sinkAt(level))).toEqual(expect.any(Function));
  });

  it('leaves out scrapes and probes (readiness and liveness), and nothing else', () => {
    for (const url of ['/metrics', '/api/orchestration/health', '/api/orchestration/health/', '/api/orchestration/health/live', '/api/orchestration/health?x=1']) {
      expect([url, isProbe(url)]).toEqual([url, true]);
    }
    for (const url of ['/api/orchestration/templates', '/api/orchestration/templates/health', '/metrics/x', '/api/orchestration/health/livex']) {
      expect([url, isProbe(url)]).toEqual([url, false]);
    }
  });

  it('is not mounted above info: it would write nothing, yet build two child loggers per request', () => {
    for (const level of ['warn', 'error', 'fatal', 'silent']) expect(requestLog(sinkAt(level))).toBeUndefined();
  });
});
