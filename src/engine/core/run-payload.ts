import type { Problem } from '../../common/errors/app-error';
import { decodeUtf8 } from '../../common/text/utf8';
import { jsonShapeProblems } from '../../common/validation/json-shape';

/** How a run payload travels inside a JSON command: as JSON when it is JSON, else text or base64. */
export interface EncodedPayload {
  payload: unknown;
  payloadEncoding: 'json' | 'text' | 'base64';
}

/**
 * Deepest nesting of a JSON run payload. Commands embed the payload and are serialised
 * recursively (JSON.stringify overflows the stack near 5,000 levels), so a payload must be
 * refused at the door if it could not be sent later.
 */
export const RUN_PAYLOAD_MAX_DEPTH = 100;

const isJson = (ct: string) => /^application\/([\w.+-]+\+)?json\b/i.test(ct);
const isText = (ct: string) => /^text\//i.test(ct) || /^application\/(x-)?yaml\b/i.test(ct);

/** The payload as a JSON value, when it is declared and parses as JSON. */
function parseJsonPayload(bytes: Buffer, contentType: string): { value: unknown } | undefined {
  if (bytes.length === 0 || !isJson(contentType)) return undefined;
  // Read as the HTTP body parser read it: with a byte-order mark kept, the payload would not parse
  // here and would reach its worker as a string, unchecked.
  const text = decodeUtf8(bytes);
  if (text === undefined) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Why a payload cannot be accepted (a run that could never be dispatched), or nothing; `root` is where the caller carries it. */
export function payloadProblems(bytes: Buffer, contentType: string, root = 'body'): Problem[] {
  const parsed = parseJsonPayload(bytes, contentType);
  return parsed ? shapeProblems(parsed.value, root) : [];
}

const shapeProblems = (value: unknown, root = 'body') => jsonShapeProblems(value, root, { maxDepth: RUN_PAYLOAD_MAX_DEPTH }, 1);

export function encodePayload(bytes: Buffer, contentType: string): EncodedPayload {
  if (bytes.length === 0) return { payload: null, payloadEncoding: 'json' };
  const parsed = parseJsonPayload(bytes, contentType);
  // Only what can be serialised again is embedded as JSON; declared JSON that is not (broken, or
  // stored too deep before the door checked) is handed over as text rather than lost.
  if (parsed && shapeProblems(parsed.value).length === 0) return { payload: parsed.value, payloadEncoding: 'json' };
  if (isJson(contentType) || isText(contentType)) return { payload: bytes.toString('utf8'), payloadEncoding: 'text' };
  return { payload: bytes.toString('base64'), payloadEncoding: 'base64' };
}
