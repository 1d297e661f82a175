import { parseDocument } from './parse-document';

const MAX = 1024;

describe('parseDocument', () => {
  it('parses YAML and JSON by content type, and sniffs without one', () => {
    expect(parseDocument('a: 1', 'application/yaml', MAX)).toMatchObject({ ok: true, value: { a: 1 } });
    expect(parseDocument('{"a": 1}', 'application/json; charset=utf-8', MAX)).toMatchObject({ ok: true, value: { a: 1 } });
    expect(parseDocument(' {"a": 1}', undefined, MAX)).toMatchObject({ ok: true, value: { a: 1 } });
    expect(parseDocument('a: 1', 'application/octet-stream', MAX)).toMatchObject({ ok: true, value: { a: 1 } });
  });

  it('gives YAML a locator and JSON none', () => {
    const yaml = parseDocument('a:\n  b: 1', 'application/yaml', MAX);
    const json = parseDocument('{"a": {"b": 1}}', 'application/json', MAX);
    expect(yaml.ok && yaml.locate?.(['a', 'b'])).toEqual({ line: 2, column: 6 });
    expect(json.ok && json.locate).toBeUndefined();
  });

  it('decodes bytes as UTF-8, dropping a byte-order mark', () => {
    expect(parseDocument(Buffer.from('\uFEFFname: café', 'utf8'), 'text/yaml', MAX)).toMatchObject({ ok: true, value: { name: 'café' } });
    expect(parseDocument('\uFEFF{"a": 1}', 'application/json', MAX)).toMatchObject({ ok: true, value: { a: 1 } });
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(parseDocument(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe]), 'application/yaml', MAX)).toEqual({
      ok: false, problems: [{ path: '(document)', message: 'the document is not valid UTF-8' }],
    });
  });

  it('measures the limit in bytes and checks it before parsing', () => {
    const text = `a: "${'é'.repeat(600)}"`; // 605 characters, 1205 bytes
    expect(parseDocument(text, 'application/yaml', MAX)).toEqual({
      ok: false, problems: [{ path: '(document)', message: 'the document is 1205 bytes; the limit is 1024 bytes' }],
    });
    // Not even a syntax error is reported: the text was never parsed.
    expect(parseDocument(`{${'x'.repeat(2000)}`, 'application/json', MAX)).toEqual({
      ok: false, problems: [{ path: '(document)', message: 'the document is 2001 bytes; the limit is 1024 bytes' }],
    });
  });

  it('applies the limit to an already-parsed body too', () => {
    expect(parseDocument({ a: 'x'.repeat(2000) }, 'application/json', MAX)).toEqual({
      ok: false, problems: [{ path: '(document)', message: 'the document is 2008 bytes; the limit is 1024 bytes' }],
    });
  });

  it('checks keys of an already-parsed body', () => {
    expect(parseDocument(JSON.parse('{"__proto__": 1}') as object, 'application/json', MAX)).toEqual({
      ok: false, problems: [{ path: '__proto__', message: 'key "__proto__" is not allowed' }],
    });
  });

  it('locates text PostgreSQL cannot store in YAML, a value or a key: the shape check works on the parsed value, without positions', () => {
    const yaml = 'orchName: ok\nas: initiator\nsteps:\n  - name: "a\\0b"\n    "k\\0": 1\n';
    expect(parseDocument(yaml, 'application/yaml', 10_000)).toEqual({ ok: false, problems: [
      { path: 'steps[0].k\u0000', message: 'key contains a NUL character (at 1), which cannot be stored', line: 5, column: 5 },
      { path: 'steps[0].name', message: 'contains a NUL character (at 1), which cannot be stored', line: 4, column: 11 },
    ] });
  });

  it('refuses YAML nested too deep in block style with the nesting limit, never the parser\'s stack overflow', () => {
    const max = 256 * 1024;
    const deepBlocks = ['- '.repeat(20_000) + '1\n', '? '.repeat(20_000) + 'x\n', Array.from({ length: 700 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')];
    for (const text of deepBlocks) {
      const parsed = parseDocument(text, 'application/yaml', max);
      expect(parsed.ok ? [] : parsed.problems).toEqual([{ path: '(document)', message: 'nested deeper than 64 levels', line: expect.any(Number), column: expect.any(Number) }]);
    }
  });

  it('requires the root to be a map, locating it in YAML', () => {
    expect(parseDocument('\n\n just text', 'application/yaml', MAX)).toEqual({
      ok: false,
      problems: [{ path: '(document)', message: 'the document must be a map (with orchName, as, steps), found a string', line: 3, column: 2 }],
    });
    expect(parseDocument('~', 'application/yaml', MAX)).toMatchObject({
      ok: false, problems: [{ message: 'the document must be a map (with orchName, as, steps), found nothing' }],
    });
    expect(parseDocument([1, 2], 'application/json', MAX)).toEqual({
      ok: false, problems: [{ path: '(document)', message: 'the document must be a map (with orchName, as, steps), found a list' }],
    });
  });

  it('reads JSON bytes as they came: a scalar is no map, and a string holding JSON is a string, not a second document', () => {
    const found = (bytes: string) => parseDocument(Buffer.from(bytes), 'application/json', MAX);
    const notMap = (kind: string) => ({ ok: false, problems: [{ path: '(document)', message: `the document must be a map (with orchName, as, steps), found ${kind}` }] });
    expect(found('"str"')).toEqual(notMap('a string'));
    expect(found('null')).toEqual(notMap('nothing'));
    expect(found(JSON.stringify(JSON.stringify({ orchName: 'x', as: 'worker', steps: [] })))).toEqual(notMap('a string'));
    expect(found('')).toMatchObject({ ok: false, problems: [{ path: '(document)' }] });
  });
});
