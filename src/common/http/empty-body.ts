import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A POST with `Content-Length: 0` and no media type (what many clients send for a bodiless call)
 * comes out of the raw parser as an empty Buffer, which a DTO route then refused with a cryptic
 * "object is expected". No bytes means no body, exactly as a request without Content-Length.
 */
export function emptyBodyIsNoBody(req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: () => void): void {
  if (Buffer.isBuffer(req.body) && req.body.length === 0) req.body = undefined;
  next();
}
