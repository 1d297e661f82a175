/**
 * PostgreSQL cannot store NUL (U+0000) in text or jsonb, and jsonb refuses a lone UTF-16
 * surrogate; either reaches a client as a 500 unless it is refused at the door.
 */
// eslint-disable-next-line no-control-regex
export const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(value: string): string | undefined {
  const found = UNSTORABLE.exec(value);
  if (!found) return undefined;
  return found[0] === '\u0000'
    ? `contains a NUL character (at ${found.index}), which cannot be stored`
    : `contains an unpaired UTF-16 surrogate (at ${found.index}), which cannot be stored`;
}
