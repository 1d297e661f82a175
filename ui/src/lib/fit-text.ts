/**
 * `text` as it fits in `maxPx`: whole, or cut after the longest start that fits with an ellipsis.
 * `widthOf` measures a string as it will be drawn.
 */
export function fitText(text: string, maxPx: number, widthOf: (s: string) => number): string {
  if (widthOf(text) <= maxPx) return text;
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (widthOf(`${text.slice(0, mid)}…`) <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
