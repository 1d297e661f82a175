import { fromTransportError, isRetriableStatus, parseRetryAfter } from './handler-http-error';

describe('retry classification', () => {
  it('retries only 5xx and 429', () => {
    expect([500, 502, 503, 504, 429].every(isRetriableStatus)).toBe(true);
    expect([400, 401, 403, 404, 405, 409, 422].some(isRetriableStatus)).toBe(false);
  });

  it('retries network errors and timeouts, not TLS verification failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(fromTransportError(refused, 'AWX launch', 'AWX_ALLOW_INVALID_SSL')).toMatchObject({ retriable: true, status: null });
    const wrapped = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: { code: 'ECONNRESET' } });
    expect(fromTransportError(wrapped, 'x', 'V').message).toContain('ECONNRESET');
    const timeout = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(fromTransportError(timeout, 'x', 'V')).toMatchObject({ retriable: true, message: 'x: timed out (UND_ERR_HEADERS_TIMEOUT)' });
    const aborted = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(fromTransportError(aborted, 'x', 'V').retriable).toBe(true);
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(fromTransportError(tls, 'x', 'set OO_LAB_ALLOW_INVALID_SSL=true')).toMatchObject({ retriable: false,
      message: 'x: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate); set OO_LAB_ALLOW_INVALID_SSL=true' });
  });

  it('knows which failures sent nothing: no connection made (a launch so failed started no job)', () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) {
      expect(fromTransportError(error(code), 'x', 'V')).toMatchObject({ retriable: true, unsent: true });
    }
    for (const code of ['ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE']) {
      expect(fromTransportError(error(code), 'x', 'V')).toMatchObject({ retriable: true, unsent: false });
    }
    const aborted = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(fromTransportError(aborted, 'x', 'V').unsent).toBe(false);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
