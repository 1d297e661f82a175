import { redact } from '../handlers/http/redact';

/**
 * The distinct credentials a refused document's audit cuts one by one (each a pass over the text);
 * a document holding more is not kept at all.
 */
export const MAX_CUT_CREDENTIALS = 100;

/** A JWT or JWE: its header is base64url JSON, so it starts `eyJ`. Only at the start of a run, which keeps the search linear. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;
/** `Bearer <token>` or `Basic <user:password in base64>`, wherever it is written (a description, a body, a comment). */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{8,}=*/gi;
const TOKEN_CHAR = /[A-Za-z0-9_-]/;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A refused registration document as its audit row keeps it, which every viewer reads. A template
 * cannot hold credentials, and is refused for them; the document that was refused still holds
 * them. Cut: each value the validator refused as a credential (`credentials`, found on the parsed
 * document), as written and as a JSON string holds it; then, for a document that did not parse or
 * holds them elsewhere, what is shaped like one: `Authorization`/`Cookie` values, user-info in a
 * URL (the HTTP steps' scrubber), JWTs and `Bearer`/`Basic` values. A second line of defence, not a
 * boundary: a credential written in pieces, or as YAML escapes, gets past the shapes.
 */
export function refusedDocumentText(text: string, credentials: readonly string[] = []): string {
  const distinct = new Set(credentials);
  if (distinct.size > MAX_CUT_CREDENTIALS) {
    return `(not kept: the document holds ${distinct.size} values under credential names, more than the ${MAX_CUT_CREDENTIALS} its audit cuts)`;
  }
  const values = [...new Set([...distinct].flatMap((c) => [c, JSON.stringify(c).slice(1, -1)]))].filter(Boolean);
  // Longest first: a value inside another is cut with it, not left as its remains.
  let cut = text;
  for (const value of values.sort((a, b) => b.length - a.length)) cut = cut.replace(wholeValue(value), '***');
  return redact(cut, []).replace(JWT, '***').replace(SCHEME_CREDENTIAL, '$1$2***');
}

/**
 * The value where it stands whole: `abc1` is cut from `token: abc1` and `"abc1"`, not from the
 * middle of `xabc12` (a short credential would otherwise cut every word holding it).
 */
function wholeValue(value: string): RegExp {
  const before = TOKEN_CHAR.test(value[0]) ? '(?<![A-Za-z0-9_-])' : '';
  const after = TOKEN_CHAR.test(value.at(-1)!) ? '(?![A-Za-z0-9_-])' : '';
  return new RegExp(`${before}${escaped(value)}${after}`, 'g');
}
