import { cutUtf8, fitNullable, fitText } from './fit-text';

describe('fitText', () => {
  it('replaces NUL and unpaired surrogates, and cuts to the column', () => {
    expect(fitText('a\u0000b\uD800c', 10)).toBe('a\uFFFDb\uFFFDc');
    expect(fitText('x'.repeat(25), 20)).toBe('x'.repeat(20));
  });

  it('never cuts a surrogate pair in half', () => {
    expect(fitText(`${'x'.repeat(19)}😀`, 20)).toBe('x'.repeat(19));
  });

  it('keeps null as null', () => {
    expect(fitNullable(null, 5)).toBeNull();
    expect(fitNullable('abcdef', 5)).toBe('abcde');
  });
});

describe('cutUtf8', () => {
  it('cuts on a character boundary and says so', () => {
    expect(cutUtf8('ééé', 5)).toEqual({ text: 'éé', cut: true });
    expect(cutUtf8('abc', 5)).toEqual({ text: 'abc', cut: false });
  });
});
