import { decodeUtf8, withoutBom } from './utf8';

describe('decodeUtf8', () => {
  it('reads UTF-8, multi-byte characters included', () => {
    expect(decodeUtf8(Buffer.from('{"name":"Zoë ✓"}'))).toBe('{"name":"Zoë ✓"}');
  });

  it('drops a leading byte-order mark, and only that one', () => {
    expect(decodeUtf8(Buffer.from('\uFEFF{"a":"\uFEFF"}'))).toBe('{"a":"\uFEFF"}');
  });

  it('refuses bytes that are not UTF-8 rather than turning them into U+FFFD', () => {
    expect(decodeUtf8(Buffer.from([0x7b, 0xff, 0x7d]))).toBeUndefined();
    expect(decodeUtf8(Buffer.from([0xc3]))).toBeUndefined(); // a truncated sequence
  });

  it('reads no bytes as no text', () => {
    expect(decodeUtf8(Buffer.alloc(0))).toBe('');
  });
});

describe('withoutBom', () => {
  it('drops a leading byte-order mark and keeps text without one', () => {
    expect(withoutBom('\uFEFForchName: a')).toBe('orchName: a');
    expect(withoutBom('orchName: a')).toBe('orchName: a');
    expect(withoutBom('')).toBe('');
  });
});
