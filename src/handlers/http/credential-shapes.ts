/**
 * Credentials Baton does not know but can recognise by their shape, cut from a partner's error
 * text (an error body, AWX's job_explanation, OO's pause reason) before it becomes a step's error:
 * a partner quoting a failed request, a callback URL or a log line may quote someone's token.
 * Only error text: a partner's answers (a token endpoint's JWT that a later step uses) stay whole.
 * Every pattern starts only with a fixed word or where a run starts, and every repeat is bounded,
 * so each start is tried once at bounded cost and the search stays linear.
 */

/** A JWT, JWS or JWE: its header is base64url JSON, so it starts `eyJ`; three to five dot-separated parts. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;
/** `Bearer <token>` or `Basic <base64>`, wherever it is written. */
const SCHEME_CREDENTIAL = /(?<![A-Za-z0-9_-])(Bearer|Basic)(\s{1,20})([A-Za-z0-9._~+/-]{8,4096}=*)/gi;
/**
 * How a name that carries a credential ends: `token` (`access_token`, `X-Auth-Token`, `page_token`
 * too: a cursor lost from an error costs less than a token kept), `password`, `secret`
 * (`client_secret`), `jwt`, and `key` after a word that makes it one (`X-Api-Key`, `apiKey`,
 * `aws_secret_access_key`). Not a bare `key`: validation errors name their fields with it.
 * A name is matched by its end alone, so a name of any length is (the name's start is never looked for).
 */
const CREDENTIAL_NAME = String.raw`(?:token|passw(?:or)?d|passphrase|pwd|secret|jwt|credentials?|(?:api|access|private|secret|client|auth|subscription|master|signing)[_-]?key)`;
/**
 * A credential's name, its closing quote if quoted (`"password"`, or `\"password\"` in JSON that
 * was itself put in a string), `=` or `:` with spaces about it, then its value: a JSON string
 * (escapes in it included), an escaped one, a single-quoted one (each cut whole, also when the text
 * ends inside it) or a run up to a separator. A non-credential name (`callback=https://…?token=…`)
 * is not matched at all, so a credential inside its value is still found.
 */
const NAMED_VALUE = new RegExp(String.raw`(${CREDENTIAL_NAME}(?:\\?["'])?[ \t]{0,20}([:=])[ \t]{0,20})`
  + String.raw`("(?:[^"\\]|\\.){0,4096}"?|\\"[^"\\]{0,4096}(?:\\")?|'[^']{0,4096}'?|[^\s"'&,;<>(){}[\]]{1,4096})`, 'gi');
/** A whole key of a JSON object that names a credential. */
const CREDENTIAL_KEY = new RegExp(String.raw`${CREDENTIAL_NAME}$`, 'i');

/**
 * A word of prose rather than a credential: its parts (split at hyphens: "token-based") each in
 * lower case, capitalised or in capitals, and a closing stop allowed. "Authentication" and
 * "REQUIRED" are words; a base64 or random value mixes cases or digits within a part.
 */
function isProse(value: string): boolean {
  return value.replace(/[.!?:]$/, '').split('-').every((part) => /^(?:[A-Z]?[a-z]{1,4096}|[A-Z]{1,4096})$/.test(part));
}

/** `***` in place of a value, keeping its quotes so that quoted JSON stays JSON. */
function hidden(value: string): string {
  const quote = value.startsWith('\\"') ? '\\"' : /^["']/.test(value) ? value[0] : '';
  const closed = quote !== '' && value.length >= 2 * quote.length && value.endsWith(quote);
  return `${quote}***${closed ? quote : ''}`;
}

export function withoutCredentialShapes(text: string): string {
  return text
    .replace(JWT, '***')
    // A word after the scheme ("Basic authentication failed", "Bearer token-based auth") is prose, not a credential.
    .replace(SCHEME_CREDENTIAL, (all, scheme: string, space: string, value: string) => (isProse(value) ? all : `${scheme}${space}***`))
    // After `:` an unquoted word is prose ("Invalid token: signature has expired"); after `=` a value is a value.
    .replace(NAMED_VALUE, (all, head: string, separator: string, value: string) =>
      (separator === ':' && !/^[\\"']/.test(value) && isProse(value) ? all : `${head}${hidden(value)}`));
}

/** Whether an object key in a partner's answer names a credential (`password`, `client_secret`, `X-Api-Key`). */
export function namesCredential(key: string): boolean {
  return CREDENTIAL_KEY.test(key);
}
