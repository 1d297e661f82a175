import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors/app-error';
import { requestGuard } from './request-guard';

/** What the guard makes of a request: its refusal (code and problems' paths), and the headers it leaves. */
function guard(url: string, headers: Record<string, string> = {}) {
  const req = { url, headers: { ...headers } } as unknown as IncomingMessage;
  let refusal: unknown;
  requestGuard(req, {} as ServerResponse, (error) => { refusal = error; });
  const error = refusal as AppError | undefined;
  return { code: error?.code, paths: error?.problems.map((p) => p.path), headers: req.headers };
}

describe('requestGuard', () => {
  it('passes a sane request untouched', () => {
    expect(guard('/api/runs?status=RUNNING', { 'content-type': 'application/json', 'content-length': '2' }))
      .toEqual({ code: undefined, paths: undefined, headers: { 'content-type': 'application/json', 'content-length': '2' } });
  });

  it('names each problem of the path, query and stored headers', () => {
    expect(guard('/api/%zz?a=%00&b=ok', { 'x-service-name': 'x'.repeat(201) })).toMatchObject({
      code: 'INVALID_REQUEST', paths: ['path', 'query.a', 'headers.x-service-name'],
    });
  });

  it('drops a Content-Type naming no media type from a bodiless call, and refuses it on a body', () => {
    expect(guard('/x', { 'content-type': '', 'content-length': '0' })).toEqual({ code: undefined, paths: undefined, headers: { 'content-length': '0' } });
    expect(guard('/x', { 'content-type': 'json', 'content-length': '2' })).toMatchObject({ code: 'INVALID_REQUEST', paths: ['headers.content-type'] });
    expect(guard('/x', { 'content-type': 'json', 'transfer-encoding': 'chunked' })).toMatchObject({ paths: ['headers.content-type'] });
  });
});
