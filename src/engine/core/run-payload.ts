/** How a run payload travels inside a JSON command: as JSON when it is JSON, else text or base64. */
export interface EncodedPayload {
  payload: unknown;
  payloadEncoding: 'json' | 'text' | 'base64';
}

const isJson = (ct: string) => /^application\/([\w.+-]+\+)?json\b/i.test(ct);
const isText = (ct: string) => /^text\//i.test(ct) || /^application\/(x-)?yaml\b/i.test(ct);

export function encodePayload(bytes: Buffer, contentType: string): EncodedPayload {
  if (bytes.length === 0) return { payload: null, payloadEncoding: 'json' };
  if (isJson(contentType)) {
    try {
      return { payload: JSON.parse(bytes.toString('utf8')), payloadEncoding: 'json' };
    } catch {
      // Declared JSON but is not: hand it over as text rather than lose it.
    }
  }
  if (isJson(contentType) || isText(contentType)) return { payload: bytes.toString('utf8'), payloadEncoding: 'text' };
  return { payload: bytes.toString('base64'), payloadEncoding: 'base64' };
}
