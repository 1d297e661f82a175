/**
 * The start of a long free text (an error, a reason): its first `lines` lines, and at most `chars`
 * characters of them, as the page shows it before "show all". A worker's error may be 10 KB of
 * stack trace: shown whole, in the run's facts and in every attempt's row, it made the page
 * thousands of pixels tall. The preview ends at a line's end where it can, so a stack trace
 * shows whole lines.
 */
export function textPreview(text: string, lines: number, chars: number): { text: string; truncated: boolean } {
  let end = -1;
  for (let i = 0; i < lines; i++) {
    const next = text.indexOf('\n', end + 1);
    if (next === -1) {
      end = text.length;
      break;
    }
    end = next;
  }
  const cut = Math.min(end, chars);
  if (cut >= text.length) return { text, truncated: false };
  return { text: text.slice(0, cut).replace(/\s+$/, ''), truncated: true };
}

/**
 * Characters that reorder the text around them: embeddings, overrides and isolates (U+202A–202E,
 * U+2066–2069). One in a reason ("phone \u202Egnp.exe" drawn as "phone exe.png") makes what
 * is on screen lie about what was sent.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const BIDI_SPLIT = /([\u202A-\u202E\u2066-\u2069])/;

/** The names a person can look up, for the marks that stand in for them. */
const BIDI_NAMES: Record<string, string> = {
  '\u202A': 'LRE', '\u202B': 'RLE', '\u202C': 'PDF', '\u202D': 'LRO', '\u202E': 'RLO',
  '\u2066': 'LRI', '\u2067': 'RLI', '\u2068': 'FSI', '\u2069': 'PDI',
};

export type TextPart = { text: string } | { control: string; name: string };

/**
 * A text cut at its bidirectional controls, each given as a part of its own with its name and
 * code point, so that the page draws a visible mark in its place (FreeText) and the text around
 * it keeps the order it was typed in.
 */
export function bidiParts(text: string): TextPart[] {
  if (!BIDI_CONTROL.test(text)) return [{ text }];
  return text.split(BIDI_SPLIT).filter((p) => p !== '').map((p) => (BIDI_CONTROL.test(p) && p.length === 1
    ? { control: `U+${p.codePointAt(0)!.toString(16).toUpperCase()}`, name: BIDI_NAMES[p] }
    : { text: p }));
}
