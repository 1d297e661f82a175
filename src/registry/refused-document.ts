import { JWT_IN_TEXT as JWT } from '../auth/api-keys/api-key-format';
import { redact } from '../handlers/http/redact';
import { namesCredential } from './document/credential-names';

/** `Bearer <token>` or `Basic <user:password in base64>`, wherever it is written (a description, a body, a comment). */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{8,}=*/gi;
/**
 * A name followed by `:` or `=`, quoted or not: a YAML or JSON key, or a query parameter in a
 * path. Only where a name starts, so each is tried once and the search stays linear.
 */
const NAME = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,200})["']?[ \t]*[:=]/g;
/** Headers a template may not set that carry credentials, beside the names namesCredential knows. */
const CREDENTIAL_HEADERS = /^(proxy-)?authorization$|^cookie$/i;

export const NOT_KEPT = '(not kept: the refused document names a credential (a header or query parameter a template may not hold); '
  + 'its problems say where)';

/**
 * A refused registration document as its audit row keeps it, which every viewer reads. A template
 * cannot hold credentials, and is refused for them; the document that was refused still holds
 * them, in whatever spelling its author chose (YAML quoting and escapes, a number, a folded block),
 * or in a document that did not parse. Cutting the values one by one missed such spellings, so a
 * document that holds a value under a credential's name (`credentials`, found on the parsed
 * document) or names one anywhere in its text is not kept at all. The rest keep their text, less
 * what is shaped like a credential: `Authorization`/`Cookie` values, user-info in a URL (the HTTP
 * steps' scrubber), JWTs and `Bearer`/`Basic` values.
 */
export function refusedDocumentText(text: string, credentials: readonly string[] = []): string {
  if (credentials.length > 0 || namesACredential(text)) return NOT_KEPT;
  return redact(text, []).replace(JWT, '***').replace(SCHEME_CREDENTIAL, '$1$2***');
}

function namesACredential(text: string): boolean {
  for (const [, name] of text.matchAll(NAME)) {
    if (namesCredential(name) || CREDENTIAL_HEADERS.test(name)) return true;
  }
  return false;
}

/** A string a problem's message names is shown to this many characters, then `...` (zod-problems.ts). */
const SHOWN_PREFIX = 37;

/**
 * A problem's message without the credentials the document held: the validator names a value it
 * could not take (`found the number 8734682734`, or a long string's start), and every viewer reads
 * the audit's problems.
 */
export function withoutCredentials(message: string, credentials: readonly string[] = []): string {
  let cut = message;
  for (const value of credentials) {
    for (const shown of value.length > SHOWN_PREFIX ? [value, value.slice(0, SHOWN_PREFIX)] : [value]) {
      if (shown.length > 0) cut = cut.split(shown).join('***');
    }
  }
  return cut;
}
