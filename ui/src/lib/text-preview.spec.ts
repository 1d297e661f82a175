import { describe, expect, it } from 'vitest';
import { bidiParts, textPreview } from './text-preview';

describe('textPreview', () => {
  it('is the whole text when it has at most `lines` lines and `chars` characters', () => {
    expect(textPreview('card declined', 4, 400)).toEqual({ text: 'card declined', truncated: false });
    expect(textPreview('a\nb\nc', 3, 400)).toEqual({ text: 'a\nb\nc', truncated: false });
  });

  it('ends after `lines` lines of a stack trace, keeping its newlines', () => {
    const trace = ['Error: boom', '    at a (x.js:1)', '    at b (x.js:2)', '    at c (x.js:3)', '    at d (x.js:4)'].join('\n');
    expect(textPreview(trace, 3, 400)).toEqual({ text: 'Error: boom\n    at a (x.js:1)\n    at b (x.js:2)', truncated: true });
  });

  it('cuts one long line at `chars`', () => {
    const long = 'x'.repeat(10_000);
    const preview = textPreview(long, 4, 400);
    expect(preview.text).toHaveLength(400);
    expect(preview.truncated).toBe(true);
  });
});

describe('bidiParts', () => {
  it('leaves a text without controls whole', () => {
    expect(bidiParts('phone gnp.exe')).toEqual([{ text: 'phone gnp.exe' }]);
  });

  it('takes each override out of the text, named, so that the text around it keeps its order', () => {
    expect(bidiParts('phone \u202Egnp.exe')).toEqual([{ text: 'phone ' }, { control: 'U+202E', name: 'RLO' }, { text: 'gnp.exe' }]);
    expect(bidiParts('\u2067a\u2069')).toEqual([{ control: 'U+2067', name: 'RLI' }, { text: 'a' }, { control: 'U+2069', name: 'PDI' }]);
  });
});
