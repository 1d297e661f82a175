import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, type Problem } from '../errors/app-error';
import { headerText } from '../http/header-text';
import { ErrorCode } from '../errors/error-code';
import { unstorableReason } from './storable-text';

/**
 * Headers that are stored, with the length of the column that keeps them: a longer value is
 * refused here with a 400 naming it, instead of failing the insert with a 500.
 */
export const HEADER_LIMITS: Readonly<Record<string, number>> = {
  'x-service-name': 200,
  'idempotency-key': 255,
  'content-type': 255,
};
const ONCE_MESSAGE = 'must be sent once';

/** Longest query value: filters are names (200) or dates; anything longer is not a real request. */
export const MAX_QUERY_VALUE = 1000;

/**
 * Refuses, before the body is read and before any route runs, what no route can take: a path or
 * query that does not decode or carries characters PostgreSQL cannot store, and stored headers
 * longer than their columns. Each problem names the part of the request it is in.
 */
export function requestGuard(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  if (!carriesBody(req)) dropEmptyMediaType(req);
  const problems = [...pathProblems(req.url ?? '/'), ...headerProblems(req), ...repeatedHeaderProblems(req.rawHeaders ?? []), ...mediaTypeProblems(req)];
  next(problems.length ? new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', problems) : undefined);
}

/** Whether the request says it has a body (its length, or a chunked one), before any of it is read. */
export function carriesBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
}

/**
 * `.` and `..`: no resource is named so, and a client that sends one unresolved means a path it did not
 * write out. The console's file server refused them with a bare 403 that said nothing.
 */
const DOT_SEGMENT = /^\.\.?$/;

function pathProblems(url: string): Problem[] {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const problems: Problem[] = [];
  for (const segment of path.split('/')) {
    const decoded = decode(segment);
    if (decoded === undefined) problems.push({ path: 'path', message: `segment "${segment.slice(0, 50)}" is not valid percent-encoding` });
    else if (DOT_SEGMENT.test(decoded)) problems.push({ path: 'path', message: `has a "${decoded}" segment: name the resource without one` });
    else checkText(problems, 'path', decoded);
  }
  if (q >= 0) {
    // Sent twice, a parameter reaches its route as a list, refused as "must be an integer" or the like: say what is wrong.
    const seen = new Set<string>();
    for (const pair of url.slice(q + 1).split('&')) {
      if (pair === '') continue; // `a=1&&b=2`, a trailing `&`: nothing sent
      const eq = pair.indexOf('=');
      const name = decode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      const value = eq < 0 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '));
      if (name === undefined || value === undefined) {
        problems.push({ path: 'query', message: `"${pair.slice(0, 50)}" is not valid percent-encoding` });
        continue;
      }
      const field = `query.${name}`;
      if (!checkText(problems, field, name)) continue;
      if (seen.has(name)) {
        if (!problems.some((p) => p.path === field && p.message === ONCE_MESSAGE)) problems.push({ path: field, message: ONCE_MESSAGE });
        continue;
      }
      seen.add(name);
      if (value.length > MAX_QUERY_VALUE) problems.push({ path: field, message: `must be at most ${MAX_QUERY_VALUE} characters` });
      else checkText(problems, field, value);
    }
  }
  return problems;
}

/**
 * An idempotency key is printable ASCII (a structured-field string, as the IETF draft has it), and
 * not blank. Node reads header bytes as Latin-1, so `clé` would be stored, and found, as `clÃ©`;
 * a blank one was ignored, and a retry sent with it started a second run.
 */
export const IDEMPOTENCY_KEY = /^[\x20-\x7e]*[\x21-\x7e][\x20-\x7e]*$/;

function headerProblems(req: IncomingMessage): Problem[] {
  const problems: Problem[] = [];
  for (const [name, max] of Object.entries(HEADER_LIMITS)) {
    const text = headerText(req.headers, name);
    if (text === undefined) continue;
    if (text.length > max) problems.push({ path: `headers.${name}`, message: `must be at most ${max} characters` });
    else checkText(problems, `headers.${name}`, text);
  }
  const key = headerText(req.headers, 'idempotency-key');
  if (key !== undefined && key.length <= HEADER_LIMITS['idempotency-key'] && !IDEMPOTENCY_KEY.test(key)) {
    problems.push({ path: 'headers.idempotency-key', message: 'must be printable ASCII characters, and not blank' });
  }
  return problems;
}

/**
 * Headers that say who asks, for what, or how the body reads. Sent twice, Node keeps the first
 * (Authorization, Content-Type) or joins them with ", " (Idempotency-Key: `a1` and `b1` became the
 * key `a1, b1`), so one of them would be ignored unseen: refused instead. (Authorization and X-API-Key
 * together are two headers, each sent once: the API document offers them as alternatives, and
 * Authorization is the one read.)
 */
const ONCE = new Set(['authorization', 'x-api-key', 'idempotency-key', 'x-deadline-seconds', 'x-service-name', 'content-type']);

function repeatedHeaderProblems(raw: string[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (!ONCE.has(name)) continue;
    if (seen.has(name) && !problems.some((p) => p.path === `headers.${name}`)) problems.push({ path: `headers.${name}`, message: ONCE_MESSAGE });
    seen.add(name);
  }
  return problems;
}

/** `type/subtype`, as Fastify reads a Content-Type before choosing a parser (parameters aside). */
const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(;|$)/;

const namesNoMediaType = (contentType: string | undefined) => contentType !== undefined && !MEDIA_TYPE.test(contentType);

/** On a request without a body, a Content-Type naming no media type describes nothing: clients send an empty one on bodiless calls. */
function dropEmptyMediaType(req: IncomingMessage): void {
  if (namesNoMediaType(req.headers['content-type'])) delete req.headers['content-type'];
}

/** With a body, a Content-Type naming no media type is refused by name (Fastify would answer in its own shape). */
function mediaTypeProblems(req: IncomingMessage): Problem[] {
  return namesNoMediaType(req.headers['content-type']) ? [{ path: 'headers.content-type', message: 'is not a media type (type/subtype)' }] : [];
}

/** Adds a problem when the text cannot be stored; true when it can. */
function checkText(problems: Problem[], path: string, text: string): boolean {
  const reason = unstorableReason(text);
  if (reason) problems.push({ path, message: reason });
  return !reason;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
