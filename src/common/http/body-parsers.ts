import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { decodeUtf8 } from '../text/utf8';
import { carriesBody } from '../validation/request-guard';

export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const JSON_TYPES = ['application/json', /^application\/[^;\s]+\+json\s*(;|$)/i];
const TEXT_TYPES = [...YAML_TYPES, /^text\//i];
/** Charsets a body may name: run payloads are kept as sent and read back as UTF-8, of which ASCII is part. */
const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

type Parsed = (error: Error | null, body?: unknown) => void;
type WithRawBody = FastifyRequest & { rawBody?: Buffer };

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route reads `rawBody` itself and nothing is parsed for it (`@RouteConfig({ readsItsBody:
     * true })`). A registration does: a document that is not JSON, YAML or UTF-8 is then refused
     * as the document's problem, with its line and column, and audited like every other attempt,
     * instead of failing here before the registry sees it.
     */
    readsItsBody?: boolean;
  }
}

/**
 * JSON is parsed for the API; YAML and text stay text; anything else (run payloads) stays bytes.
 * The bytes as sent are kept too, as `rawBody`: a run payload is stored exactly as given. Fastify's
 * bodyLimit (BODY_LIMIT_BYTES) caps all three; refuseCompressedBody has refused a compressed body.
 */
export function parseBodies(fastify: FastifyInstance): void {
  const parse = (types: Array<string | RegExp>, parser: (req: WithRawBody, body: Buffer, done: Parsed) => void) => {
    for (const type of types) {
      fastify.addContentTypeParser(type, { parseAs: 'buffer' }, (req, body, done) => parser(req, body as Buffer, done));
    }
  };
  fastify.removeAllContentTypeParsers();
  parse(JSON_TYPES, parseJson);
  parse(TEXT_TYPES, parseText);
  // A bodiless POST sent with a media type (many clients do) is no body, as one without Content-Length.
  parse(['*'], (req, body, done) => done(null, keep(req, body).length ? body : undefined));
}

/** Methods Fastify reads no body for: a Content-Encoding there describes nothing Baton reads. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

/** Whether Fastify will read a body for this request (on a route that exists). */
export function hasBodyToRead(request: FastifyRequest): boolean {
  return !request.is404 && !BODYLESS_METHODS.has(request.method) && carriesBody(request.raw);
}

/**
 * An onRequest hook: a body sent compressed is refused (415) before a byte of it is read; taken as
 * sent, it would be stored or parsed as its compressed bytes. Registered after the method guard and
 * skipped on a path no route serves, so that a 404 or a 405 stays one.
 */
export function refuseCompressedBody(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || /^\s*identity\s*$/i.test(encoding) || !hasBodyToRead(request)) {
    return done();
  }
  done(new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Compressed request bodies are not taken: send the body uncompressed',
    [{ path: 'headers.content-encoding', message: `"${encoding.slice(0, 40)}" is not supported; only identity is` }]));
}

function parseJson(req: WithRawBody, body: Buffer, done: Parsed): void {
  if (req.routeOptions.config?.readsItsBody) return done(null, keep(req, body));
  const text = decode(keep(req, body), req.headers['content-type']);
  if (text instanceof AppError) return done(text);
  // Not strict: any JSON text is a valid run payload, scalars included (RFC 8259). No bytes is {},
  // as body-parser answered: a common client-side mistake on a bodiless call.
  if (text.length === 0) return done(null, {});
  try {
    done(null, JSON.parse(text));
  } catch (e) {
    done(new AppError(ErrorCode.INVALID_REQUEST, 'The body is not valid JSON', [{ path: 'body', message: (e as Error).message }]));
  }
}

function parseText(req: WithRawBody, body: Buffer, done: Parsed): void {
  if (req.routeOptions.config?.readsItsBody) return done(null, keep(req, body));
  const text = decode(keep(req, body), req.headers['content-type']);
  if (text instanceof AppError) done(text);
  else done(null, text);
}

function keep(req: WithRawBody, body: Buffer): Buffer {
  req.rawBody = body;
  return body;
}

/** The body as UTF-8 text (decodeUtf8). A charset other than UTF-8 is refused. */
function decode(body: Buffer, contentType: string | undefined): string | AppError {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && !UTF8.has(charset)) {
    return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Unsupported charset "${charset.slice(0, 40)}": send UTF-8`,
      [{ path: 'headers.content-type', message: 'names a charset other than UTF-8' }]);
  }
  return decodeUtf8(body) ?? new AppError(ErrorCode.INVALID_REQUEST, 'The body is not valid UTF-8', [{ path: 'body', message: 'holds bytes that are not UTF-8' }]);
}
