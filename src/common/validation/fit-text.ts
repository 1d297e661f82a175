import { UNSTORABLE } from './storable-text';

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/**
 * Text made to fit a column instead of being refused: characters PostgreSQL cannot store become
 * U+FFFD and the text is cut to `max` characters (never inside a surrogate pair). Used where the
 * write must not fail, like the audit of a rejected request.
 */
export function fitText(value: string, max: number): string {
  let text = value.replace(UNSTORABLE_ALL, '\uFFFD');
  if (text.length > max) text = text.slice(0, /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max);
  return text;
}

export function fitNullable(value: string | null | undefined, max: number): string | null {
  return value === null || value === undefined ? null : fitText(value, max);
}

/** Cuts UTF-8 text to at most `maxBytes` bytes on a character boundary; says whether it cut. */
export function cutUtf8(value: string, maxBytes: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= maxBytes) return { text: value, cut: false };
  // A decoder drops a trailing partial character as U+FFFD; strip it rather than keep a broken one.
  return { text: bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, ''), cut: true };
}
