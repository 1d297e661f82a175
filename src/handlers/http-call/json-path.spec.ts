import { jsonEquals, readJsonPath } from './json-path';

describe('JSON paths into a response', () => {
  const body = { data: { items: [{ id: 'a' }, { id: 'b' }], state: 'done', zero: 0, none: null } };

  it('reads fields and array elements, with or without $.', () => {
    expect(readJsonPath(body, 'data.state')).toEqual({ found: true, value: 'done' });
    expect(readJsonPath(body, '$.data.items[1].id')).toEqual({ found: true, value: 'b' });
    expect(readJsonPath(body, 'data.items.0.id')).toEqual({ found: true, value: 'a' });
    expect(readJsonPath(body, 'data.zero')).toEqual({ found: true, value: 0 });
    expect(readJsonPath(body, 'data.none')).toEqual({ found: true, value: null });
  });

  it('says when a path is missing, never walking a prototype', () => {
    expect(readJsonPath(body, 'data.items[2].id')).toEqual({ found: false });
    expect(readJsonPath(body, 'data.state.length')).toEqual({ found: false });
    expect(readJsonPath(body, 'constructor')).toEqual({ found: false });
    expect(readJsonPath('text', 'a')).toEqual({ found: false });
  });

  it('compares JSON values deeply, ignoring key order', () => {
    expect(jsonEquals({ a: [1, { b: 2 }], c: 'x' }, { c: 'x', a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEquals([1], { 0: 1 })).toBe(false);
    expect(jsonEquals('1', 1)).toBe(false);
  });
});
