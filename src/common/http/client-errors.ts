import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HEADERS } from '../../auth/http/security-headers';
import { ErrorCode } from '../errors/error-code';

/** What Node's HTTP parser refuses before there is a request, by its error code: the status, the message, and the problem's path and text. */
const REFUSALS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request\'s headers are too large', 'headers', 'are over 16 KiB with the request line (Node\'s maxHeaderSize)'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive', 'request', 'did not arrive whole in time (a second per 16 KiB of BODY_LIMIT_BYTES, at least a minute)'],
};

/**
 * Fastify's clientErrorHandler: a request Node cannot parse (a bad request line or Content-Length,
 * headers too large, too slow) gets the answer every other refusal gets, in Baton's shape with the
 * security headers and a correlation id, instead of Fastify's own. The connection closes after it.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  // llhttp's `reason` says what it found ("Invalid header value char"); its code is the fallback.
  const why = (error as { reason?: unknown }).reason;
  const [status, message, path, problem] = REFUSALS[error.code ?? '']
    ?? [400, 'The request is not valid HTTP', 'request', typeof why === 'string' ? why : String(error.code ?? 'unparsable')];
  const correlationId = randomUUID();
  const body = JSON.stringify({ code: ErrorCode.INVALID_REQUEST, message, problems: [{ path, message: problem.slice(0, 200) }], correlationId });
  const headers = [
    ...HEADERS, ['Cache-Control', 'no-store'], ['X-Correlation-ID', correlationId],
    ['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'close'],
  ];
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body}`);
}
