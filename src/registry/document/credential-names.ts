import type { DocumentIssue, PathSegment } from './document-path';

/*
 * An http step's headers and query are stored with its template, which every viewer reads, and a
 * call's are kept on its job row: a credential written there (or filled in from a run's payload,
 * which is stored too) is shown to all of them. Authorization, Cookie and the like are refused by
 * the call rules; these are the other names credentials travel under. The connection carries them.
 */

/** Words that name a credential on their own: X-Auth-Token, Private-Token, client_secret, accessToken. */
// Not `session` or `signature`: an upload session or a document's signature is data as often as a credential.
const CREDENTIAL_WORDS = new Set([
  'token', 'secret', 'password', 'passwd', 'pwd', 'apikey', 'credential', 'credentials', 'auth', 'jwt', 'bearer',
]);
/** `…-key` is a credential after these: X-Api-Key, Ocp-Apim-Subscription-Key, x-functions-key, access_key. */
const KEY_OWNERS = new Set(['api', 'access', 'private', 'secret', 'subscription', 'functions', 'client', 'master', 'auth', 'app', 'x']);
/** A pagination token is no credential: page_token, nextToken, continuation-token. */
const PAGINATION = new Set(['page', 'next', 'continuation', 'sync', 'cursor', 'resume']);

/** The words of a name, split at -, _, . and camelCase humps, lower-cased. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().split(/[-_.\s]+/).filter(Boolean);
}

/** Whether a header or query parameter name is one credentials are sent under. */
export function namesCredential(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 1 && words[0] === 'key') return true;
  return words.some((word, i) => {
    if (word === 'key') return i > 0 && KEY_OWNERS.has(words[i - 1]);
    if (word === 'token' && i > 0 && PAGINATION.has(words[i - 1])) return false;
    return CREDENTIAL_WORDS.has(word);
  });
}

function credentialMessage(kind: 'header' | 'query parameter', name: string, connection: unknown): string {
  const prefix = `HTTP_${typeof connection === 'string' && /^\w+$/.test(connection) ? connection.toUpperCase() : '<NAME>'}_`;
  return `${kind} ${name} carries a credential, which a template (read by every viewer) cannot hold: configure it on the connection, `
    + `${prefix}API_KEY with ${prefix}API_KEY_HEADER=${kind === 'header' ? name : '<header>'}, or ${prefix}TOKEN for a bearer token`;
}

/** The credential-named headers and query parameters of an http handler (raw value) at `path`. */
export function credentialIssues(handler: unknown, path: PathSegment[]): DocumentIssue[] {
  if (!isRecord(handler) || handler.type !== 'http') return [];
  const issues: DocumentIssue[] = [];
  for (const [field, kind] of [['headers', 'header'], ['query', 'query parameter']] as const) {
    const entries = handler[field];
    if (!isRecord(entries)) continue;
    for (const name of Object.keys(entries)) {
      if (namesCredential(name)) issues.push({ path: [...path, field, name], message: credentialMessage(kind, name, handler.connection), at: 'key' });
    }
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
