/**
 * Offset where YAML flow collections (`[`, `{`) open deeper than `max`, or -1. The YAML parser
 * takes about half a second on flow nesting a few thousand deep, long before its result could be
 * refused for depth, so this linear scan refuses it first. Brackets inside quoted scalars and
 * comments do not count; one inside a plain scalar may (`see [1]` closes its own), which can only
 * over-count for text no registration contains.
 */
export function flowDepthExceeded(text: string, max: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = undefined;
      else if (c === '\n' && quote === "'") quote = undefined;
    } else if (c === '"' || c === "'") {
      // A quote starts a quoted scalar only where a value starts, not inside a word (it's).
      if (i === 0 || /[\s[{,:]/.test(text[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return -1;
}
