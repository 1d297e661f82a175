import { unstorableReason } from './storable-text';

describe('unstorableReason', () => {
  it.each([['plain text'], ['emoji 😀 paired surrogates'], [''], ['tab\tand newline\n']])('accepts %j', (value) => {
    expect(unstorableReason(value)).toBeUndefined();
  });

  it('names a NUL and where it is', () => {
    expect(unstorableReason('a\u0000b')).toBe('contains a NUL character (at 1), which cannot be stored');
  });

  it.each([['\uD800'], ['x\uDC00'], ['\uD800x']])('refuses an unpaired surrogate in %j', (value) => {
    expect(unstorableReason(value)).toMatch(/unpaired UTF-16 surrogate/);
  });
});
