// How the browser drew a text: on which lines, and where a line starts inside a word.
import type { Locator } from 'playwright-core';

/** The text of each line an element's text is drawn on, from where the browser drew each character. */
export const lines = (l: Locator) => l.evaluate((el) => {
  const drawn: string[] = [];
  let top = -Infinity;
  // The page's own globals, through the element: this file is type-checked without the DOM's (4 is NodeFilter.SHOW_TEXT).
  const doc = el.ownerDocument;
  const texts = doc.createTreeWalker(el, 4);
  for (let n = texts.nextNode(); n; n = texts.nextNode()) {
    const text = n.textContent ?? '';
    for (let i = 0; i < text.length; i++) {
      const range = doc.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + 1);
      const box = range.getClientRects()[0];
      if (box && !/\s/.test(text[i]) && box.top > top + box.height / 2) {
        drawn.push('');
        top = box.top;
      }
      if (drawn.length) drawn[drawn.length - 1] += text[i];
    }
  }
  return drawn;
});

/** Where a line starts inside a word: not after a space or a `-`, `_`, `.`, `/`, nor at a camelCase word's capital. */
export const brokenInsideWords = (drawn: string[]) => drawn.slice(1).flatMap((line, i) => {
  const before = drawn[i].slice(-1);
  return /[\s\-_./]/.test(before) || /^\p{Lu}/u.test(line) ? [] : [`${drawn[i]}|${line}`];
});
