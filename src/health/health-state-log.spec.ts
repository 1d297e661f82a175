import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { HealthStateLog } from './health-state-log';

const down = (...names: string[]) => new ServiceUnavailableException({
  status: 'error', error: Object.fromEntries(names.map((n) => [n, { status: 'down' }])), details: {},
});

describe('HealthStateLog', () => {
  it('says once that health is down, naming what, again only when that changes, and once when it passes again', () => {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    const state = new HealthStateLog(logger);
    state.up();
    for (let i = 0; i < 20; i++) state.failed(down('database'));
    state.failed(down('messaging', 'database'));
    state.failed(down('database', 'messaging'));
    for (let i = 0; i < 20; i++) state.up();
    expect(warn.mock.calls.map(([line]) => line)).toEqual([
      'health check answers 503: database down', 'health check answers 503: database, messaging down']);
    expect(log.mock.calls.map(([line]) => line)).toEqual(['health check passes again (was down: database, messaging)']);
  });

  it('says a check that is down but for the database is degraded, not a 503', () => {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    new HealthStateLog(logger).failed(down('messaging'), true);
    expect(warn.mock.calls.map(([line]) => line)).toEqual(['health check degraded (still ready): messaging down']);
  });
});
