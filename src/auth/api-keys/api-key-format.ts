import { randomBytes } from 'node:crypto';

/** `bk_<prefix>_<secret>`: the prefix is public (looked up, logged, audited); the secret never is. */
export const API_KEY_PATTERN = /^bk_([A-Za-z0-9]{4,16})_([A-Za-z0-9_-]{32,128})$/;

/**
 * A key's name: no control characters, nor invisible ones (format characters, among them the
 * marks that reorder text; line separators). It is shown in logs, `npm run keys` and the security
 * audit, where "phone\u202Egnp.exe" would read "phone exe.png". Save the zero-width non-joiner and
 * joiner (U+200C, U+200D), which neither hide nor reorder text but shape it: Persian (می‌خواهم),
 * Devanagari (क्‍ष) and emoji sequences (👨‍💻) are written with them.
 */
export const KEY_NAME_PATTERN = /^(?:[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\u200C\u200D])*$/u;
export const KEY_NAME_RULE = 'must not contain control characters or invisible ones (format characters such as U+200B or the bidirectional marks U+202A to U+202E, line separators)';
/** The name column's width too (ApiKeyEntity): a longer name is refused before it reaches the insert. */
export const KEY_NAME_MAX = 100;

export interface ParsedApiKey {
  prefix: string;
  secret: string;
}

const KEY_IN_TEXT = new RegExp(API_KEY_PATTERN.source.slice(1, -1), 'g');
const KEY_ANYWHERE = new RegExp(API_KEY_PATTERN.source.slice(1, -1));

/** Whether `text` holds a whole key anywhere (a caller's correlation id that does is not taken). */
export function holdsApiKey(text: string): boolean {
  return firstApiKeyIn(text) !== undefined;
}

/** Where the first whole key in `text` starts and its prefix, if it holds one. */
export function firstApiKeyIn(text: string): { offset: number; prefix: string } | undefined {
  const match = KEY_ANYWHERE.exec(text);
  return match ? { offset: match.index, prefix: match[1] } : undefined;
}

/**
 * A JWT or JWE: its header is base64url JSON, so it starts `eyJ`. Only at the start of a run, which
 * keeps the search linear, and so never inside an API key's secret. Global: for `replace` only.
 */
export const JWT_IN_TEXT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;
const JWT_ANYWHERE = new RegExp(JWT_IN_TEXT.source);

/** Whether `text` holds something shaped like a bearer JWT (a caller's correlation id that does is not taken). */
export function holdsJwt(text: string): boolean {
  return text.includes('eyJ') && JWT_ANYWHERE.test(text);
}

/**
 * Text with every whole key in it cut to its prefix (`bk_<prefix>_…`) and every JWT to `eyJ…`: for
 * what is logged, audited, traced or answered about a request, whose path, query or reason may hold
 * a credential pasted whole. It runs on every request's log line, so each search is skipped unless
 * its literal start is there. JWTs first: one may hold `bk_`, while a key's secret holds no JWT.
 */
export function withoutKeySecrets(text: string): string {
  const jwtless = text.includes('eyJ') ? text.replace(JWT_IN_TEXT, 'eyJ…') : text;
  return jwtless.includes('bk_') ? jwtless.replace(KEY_IN_TEXT, 'bk_$1_…') : jwtless;
}

/** What a caller's own text may be echoed as (an id not found, a refused path): its first `max` characters, no key or JWT whole. */
export function echoedText(text: string, max: number): string {
  return withoutKeySecrets(text).slice(0, max);
}

export function parseApiKey(value: string): ParsedApiKey | undefined {
  const match = API_KEY_PATTERN.exec(value);
  return match ? { prefix: match[1], secret: match[2] } : undefined;
}

/** A new key: 8 random characters of prefix and 256 bits of secret. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const key = `bk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix };
}
