/**
 * Credentials Baton does not know but can recognise by their shape, cut from a partner's error
 * text (an error body, AWX's job_explanation, OO's pause reason) before it becomes a step's error:
 * a partner quoting a failed request, a callback URL or a log line may quote someone's token.
 * Only error text: a partner's answers (a token endpoint's JWT that a later step uses) stay whole.
 * Every pattern starts only where a run starts, so each is tried once and the search stays linear.
 */

/** A JWT, JWS or JWE: its header is base64url JSON, so it starts `eyJ`; three to five dot-separated parts. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;
/** `Bearer <token>` or `Basic <base64>`, wherever it is written. */
const SCHEME_CREDENTIAL = /(?<![A-Za-z0-9_-])(Bearer|Basic)(\s{1,20})([A-Za-z0-9._~+/-]{8,4096}=*)/gi;
/** A name with `=` (a query or form parameter) or a quoted name with `:` (JSON), then its value. */
const NAMED_VALUE = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,64})(=|["'][ \t]{0,20}:[ \t]{0,20}["']?)([^\s"'&,;<>(){}[\]]{1,4096})/g;
/** Names whose value is a credential: `token`, `access_token`, `X-Api-Key`, `client_secret`, `db_password`… */
const CREDENTIAL_NAME = /(token|passw(or)?d|pwd|secret|api[_-]?key|jwt)$/i;

export function withoutCredentialShapes(text: string): string {
  return text
    .replace(JWT, '***')
    // A word after the scheme ("Basic authentication failed") is prose, not a credential.
    .replace(SCHEME_CREDENTIAL, (all, scheme: string, space: string, value: string) => (/^[a-z]+$/.test(value) ? all : `${scheme}${space}***`))
    .replace(NAMED_VALUE, (all, name: string, separator: string) => (CREDENTIAL_NAME.test(name) ? `${name}${separator}***` : all));
}
