import { findJsonTextError } from './json-text-error';

describe('findJsonTextError', () => {
  it.each([
    '{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}', ' "s" ', '0',
    '{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}', // the same key in different objects
    `[${'1'.repeat(500)}, -${'2'.repeat(500)}.5e10]`, // numbers of any length, as JSON.parse takes them
  ])('finds nothing wrong in %s', (text) => {
    expect(findJsonTextError(text)).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 8, 'expected a string key in double quotes, found "}"'],
    ['{"a" 1}', 5, "expected ':', found \"1\""],
    ['{"a": 1', 7, "expected ',' or '}', found end of input"],
    ['[1 2]', 3, "expected ',' or ']', found \"2\""],
    ['{a: 1}', 1, 'expected a string key in double quotes, found "a"'],
    ['{"a": tru}', 6, 'expected a value, found "t"'],
    ['{"a": "x', 8, 'unterminated string'],
    ['{"a": "\\x"}', 7, 'invalid escape in string'],
    ['{"a": "\\u12"}', 7, 'invalid \\u escape'],
    ['"a\nb"', 2, 'control character in string (escape it)'],
    ['{} {}', 3, 'expected end of input after the document, found "{"'],
    ['', 0, 'expected a value, found end of input'],
    ['{"a": 01}', 7, "expected ',' or '}', found \"1\""],
    ['{"a": -}', 6, 'expected a value, found "-"'],
    ['{"as": "worker", "as": "initiator"}', 17, 'duplicate key "as"'],
    ['{"s": [{"n": 1, "\\u006e": 2}]}', 16, 'duplicate key "n"'], // the same key, escaped
  ])('locates the error in %j', (text, offset, message) => {
    expect(findJsonTextError(text)).toEqual({ offset, message });
  });

  it('stops on absurd nesting instead of overflowing the stack', () => {
    expect(findJsonTextError('['.repeat(5000))).toEqual({ offset: 1001, message: 'nested deeper than 1000 levels' });
  });
});
