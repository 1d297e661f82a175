import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors/app-error';
import { requestGuard } from './request-guard';

/** What the guard makes of a request: its refusal (code and problems' paths), and the headers it leaves. */
function guard(url: string, headers: Record<string, string> = {}, rawHeaders = Object.entries(headers).flat()) {
  const req = { url, headers: { ...headers }, rawHeaders } as unknown as IncomingMessage;
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

  it('refuses a query parameter sent twice, once by name, however often it repeats', () => {
    expect(guard('/api/runs?page=1&page=2&page=3&max=64&max=1&status=RUNNING')).toMatchObject({ code: 'INVALID_REQUEST', paths: ['query.page', 'query.max'] });
    expect(guard('/api/runs?page=1&&pageSize=2&&').code).toBeUndefined();
  });

  it('refuses a path with a dot segment, encoded or not, by name', () => {
    for (const url of ['/ui/assets/../x', '/ui/assets/%2e%2E/x', '/ui/./x', '/api/runs/..']) {
      expect([url, guard(url).code, guard(url).paths]).toEqual([url, 'INVALID_REQUEST', ['path']]);
    }
    for (const url of ['/ui/assets/a..b.js', '/ui/.well-known', '/api/...']) expect([url, guard(url).code]).toEqual([url, undefined]);
  });

  it('refuses a header that says who asks or for what sent twice', () => {
    expect(guard('/x', { 'idempotency-key': 'a1, b1' }, ['Idempotency-Key', 'a1', 'idempotency-key', 'b1'])).toMatchObject({
      code: 'INVALID_REQUEST', paths: ['headers.idempotency-key'],
    });
    const twice = ['Authorization', 'Bearer a', 'Authorization', 'Bearer b', 'Authorization', 'Bearer c', 'Content-Type', 'a/b', 'content-type', 'c/d'];
    expect(guard('/x', { authorization: 'Bearer a', 'content-type': 'a/b' }, twice).paths).toEqual(['headers.authorization', 'headers.content-type']);
    // Two different credential headers are alternatives, each sent once: Authorization is read.
    expect(guard('/x', { authorization: 'Bearer a', 'x-api-key': 'k' }).code).toBeUndefined();
    // Headers that decide nothing may repeat, as HTTP allows.
    expect(guard('/x', { accept: 'a, b' }, ['Accept', 'a', 'Accept', 'b']).code).toBeUndefined();
    expect(guard('/x', { 'idempotency-key': 'a1, b1' }).code).toBeUndefined();
  });

  it('takes an idempotency key of printable ASCII only, and not a blank one', () => {
    for (const key of ['order-42', 'a b', '~!#$%&*+./:;<=>?@[]^_`{|}']) expect([key, guard('/x', { 'idempotency-key': key }).code]).toEqual([key, undefined]);
    // Node reads header bytes as Latin-1: `clé` arrives as `clÃ©`, which would be stored and looked up as such.
    for (const key of ['', '   ', Buffer.from('clé').toString('latin1'), 'tab\there']) {
      expect([key, guard('/x', { 'idempotency-key': key }).paths]).toEqual([key, ['headers.idempotency-key']]);
    }
  });

  it('drops a Content-Type naming no media type from a bodiless call, and refuses it on a body', () => {
    expect(guard('/x', { 'content-type': '', 'content-length': '0' })).toEqual({ code: undefined, paths: undefined, headers: { 'content-length': '0' } });
    expect(guard('/x', { 'content-type': 'json', 'content-length': '2' })).toMatchObject({ code: 'INVALID_REQUEST', paths: ['headers.content-type'] });
    expect(guard('/x', { 'content-type': 'json', 'transfer-encoding': 'chunked' })).toMatchObject({ paths: ['headers.content-type'] });
  });
});
