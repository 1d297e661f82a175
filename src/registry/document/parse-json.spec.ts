import { checkJsonValue, parseJson } from './parse-json';

describe('parseJson', () => {
  it('parses a JSON document', () => {
    expect(parseJson('{"orchName": "t", "steps": [1]}')).toEqual({ ok: true, value: { orchName: 't', steps: [1] } });
  });

  it('reports a syntax error with line and column', () => {
    expect(parseJson('{\n  "orchName": "t",\n  "as": worker\n}')).toEqual({
      ok: false, problems: [{ path: '(document)', message: 'invalid JSON: expected a value, found "w"', line: 3, column: 9 }],
    });
    expect(parseJson('{"a": 1')).toEqual({
      ok: false, problems: [{ path: '(document)', message: "invalid JSON: expected ',' or '}', found end of input", line: 1, column: 8 }],
    });
  });

  it('refuses a key given twice in one object, where JSON.parse would keep the last, with line and column (as YAML does)', () => {
    expect(parseJson('{\n  "orchName": "t",\n  "as": "worker",\n  "as": "initiator"\n}')).toEqual({
      ok: false, problems: [{ path: '(document)', message: 'invalid JSON: duplicate key "as"', line: 4, column: 3 }],
    });
  });

  it('rejects a __proto__ key without touching any prototype', () => {
    expect(parseJson('{"__proto__": {"polluted": true}}')).toEqual({
      ok: false, problems: [{ path: '__proto__', message: 'key "__proto__" is not allowed' }],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('checkJsonValue', () => {
  it('passes ordinary values through', () => {
    const value = { a: [{ b: 1 }] };
    expect(checkJsonValue(value)).toEqual({ ok: true, value });
  });

  it('rejects constructor and prototype keys anywhere', () => {
    expect(checkJsonValue({ a: [{ constructor: {} }], prototype: 1 })).toEqual({
      ok: false,
      problems: [
        { path: 'a[0].constructor', message: 'key "constructor" is not allowed' },
        { path: 'prototype', message: 'key "prototype" is not allowed' },
      ],
    });
  });
});
