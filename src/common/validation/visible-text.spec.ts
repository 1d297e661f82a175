import { KEY_NAME_PATTERN } from '../../auth/api-keys/api-key-format';
import { VISIBLE_TEXT_PATTERN } from './visible-text';

describe('VISIBLE_TEXT_PATTERN', () => {
  it('refuses exactly what KEY_NAME_PATTERN refuses in the Basic Multilingual Plane', () => {
    const disagree: string[] = [];
    for (let c = 0; c <= 0xFFFF; c++) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      const text = `a${String.fromCharCode(c)}b`;
      if (VISIBLE_TEXT_PATTERN.test(text) !== KEY_NAME_PATTERN.test(text)) disagree.push(c.toString(16));
    }
    expect(disagree).toEqual([]);
  });

  it('takes text in any script, and characters beyond the BMP written as surrogate pairs', () => {
    expect(VISIBLE_TEXT_PATTERN.test('téléphone – 電話 😀')).toBe(true);
    for (const text of ['a\nb', 'tab\there', 'phone \u202Egnp.exe', 'zero\u200Bwidth', 'line\u2028break', '\uFEFFbom']) {
      expect(VISIBLE_TEXT_PATTERN.test(text)).toBe(false);
    }
  });

  /** An operator's reason in Persian, Hindi or with a technologist emoji was refused with 400. */
  it('takes the zero-width joiner and non-joiner, which shape text, and still refuses the bidi controls', () => {
    for (const text of ['\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645', '\u0915\u094D\u200D\u0937', '\u{1F468}\u200D\u{1F4BB}']) {
      expect([VISIBLE_TEXT_PATTERN.test(text), KEY_NAME_PATTERN.test(text)]).toEqual([true, true]);
    }
    for (const mark of ['\u061C', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069']) {
      expect([VISIBLE_TEXT_PATTERN.test(`phone${mark}gnp.exe`), KEY_NAME_PATTERN.test(`phone${mark}gnp.exe`)]).toEqual([false, false]);
    }
  });
});
