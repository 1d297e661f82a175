import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { GracefulStop, SignalTarget } from '../../src/health/graceful-stop';
import { expectEventually } from '../helpers/expect-eventually';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Stands in for the process: signals are emitted, and the re-raised one is recorded, not sent. */
function fakeProcess() {
  const target = new EventEmitter() as EventEmitter & SignalTarget;
  Object.assign(target, { pid: 4242, kill: jest.fn(() => true), exit: jest.fn() });
  return target;
}

describe('a stop signal: drain (health 503, everything else served), then close', () => {
  let t: TestApp;
  let closed = false;
  beforeEach(async () => {
    closed = false;
    t = await startTestApp();
  });
  afterEach(async () => {
    if (!closed) await t.close();
  });

  it('answers health 503 while the other routes still serve, until a second signal ends the drain', async () => {
    const target = fakeProcess();
    const logger = new Logger('test');
    const said = jest.spyOn(logger, 'log');
    // An hour: only the second signal can end this drain within the test.
    new GracefulStop(t.app, 3_600_000, logger).listen(target);
    await t.http.get('/api/orchestration/health').expect(200);

    target.emit('SIGTERM', 'SIGTERM');
    const health = await t.http.get('/api/orchestration/health').expect(503);
    expect(health.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'Baton is stopping' });
    // Alive all the same: a liveness probe must not restart a draining instance.
    await t.http.get('/api/orchestration/health/live').expect(200, { status: 'ok' });
    await t.http.get('/api/orchestration/templates').expect(200);
    expect(target.kill).not.toHaveBeenCalled();

    target.emit('SIGTERM', 'SIGTERM');
    await expectEventually(() => expect(target.kill).toHaveBeenCalledWith(4242, 'SIGTERM'), { timeoutMs: 15_000 });
    closed = true;
    expect(target.listenerCount('SIGTERM') + target.listenerCount('SIGINT')).toBe(0);
    expect(target.exit).not.toHaveBeenCalled();
    // A clean stop reads as one in the log, not like a crash.
    expect(said.mock.calls.map(([line]) => line)).toEqual([
      'SIGTERM: draining for 3600 s (health answers 503) before stopping; signal again to stop now', 'stopped']);
  }, 30_000);

  it('with no drain, closes at once and raises the signal it got', async () => {
    const target = fakeProcess();
    const logger = new Logger('test');
    const said = jest.spyOn(logger, 'log');
    new GracefulStop(t.app, 0, logger).listen(target);
    target.emit('SIGINT', 'SIGINT');
    await expectEventually(() => expect(target.kill).toHaveBeenCalledWith(4242, 'SIGINT'), { timeoutMs: 15_000 });
    closed = true;
    expect(said.mock.calls.map(([line]) => line)).toEqual(['SIGINT: stopping', 'stopped']);
  }, 30_000);
});
