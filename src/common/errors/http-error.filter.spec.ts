import { Logger, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpErrorFilter } from './http-error.filter';
import { NotReadyError } from './not-ready-error';

function reply() {
  const res = { header: jest.fn(), headers: jest.fn(), status: jest.fn(), send: jest.fn() };
  res.status.mockReturnValue(res);
  return res;
}

describe('HttpErrorFilter logging a 503', () => {
  let warn: jest.SpyInstance;
  let debug: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  const answer = (e: unknown, raw: { errored?: unknown } = {}) => {
    const res = reply();
    new HttpErrorFilter().answer(e, { id: 'corr-1', raw } as unknown as FastifyRequest, res as unknown as FastifyReply);
    return res;
  };

  it("answers a health probe's 503 while draining with Retry-After, logged at debug and without a stack", () => {
    const res = answer(new NotReadyError('Baton is stopping'));
    expect(res.status).toHaveBeenCalledWith(503);
    expect(res.header).toHaveBeenCalledWith('Retry-After', '5');
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(debug).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(debug.mock.calls)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("logs terminus's 503 naming the dependency that is down at debug (the health check logs its changes)", () => {
    answer(new ServiceUnavailableException({ status: 'error', error: { database: { status: 'down' } }, details: { database: { status: 'down' } } }));
    expect(warn).not.toHaveBeenCalled();
    expect(debug).toHaveBeenCalledTimes(1);
  });

  it('logs an outage met by a request as one warning with its cause, without the error object or its stack', () => {
    const outage = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    answer(outage);
    expect(warn).toHaveBeenCalledTimes(1);
    const [fields, message] = warn.mock.calls[0] as [Record<string, unknown>, string];
    expect(message).toMatch(/^request answered 503: /);
    expect(fields).toEqual({ correlationId: 'corr-1', cause: 'Connection terminated unexpectedly' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(outage.stack!.split('\n')[1].trim());
  });

  it("answers the request's own stream failing (its client went away mid-body) 400, logging nothing: no outage", () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    const res = answer(aborted, { errored: aborted });
    expect(res.status).toHaveBeenCalledWith(400);
    expect([warn, debug, error].map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
  });

  it('still logs a defect (500) as an error with the error itself', () => {
    answer(new Error('boom'));
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'request failed');
  });
});
