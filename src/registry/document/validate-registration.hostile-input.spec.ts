import { validateRegistration } from './validate-registration';
import { initiator, json, LIMIT, ORIGINAL_INITIATOR, ORIGINAL_WORKER, problems, yaml } from './validate-registration.fixtures';

describe('validateRegistration: hostile and malformed input', () => {
  it('rejects a document over the limit before parsing it', () => {
    const text = `${ORIGINAL_INITIATOR}# ${'x'.repeat(300)}\n`;
    expect(validateRegistration(text, 'application/yaml', { maxBytes: 200 })).toEqual({
      ok: false, problems: [{ path: '(document)', message: `the document is ${text.length} bytes; the limit is 200 bytes` }],
    });
  });

  it('rejects __proto__, constructor and prototype keys in YAML with their positions', () => {
    expect(problems(yaml(`orchName: t
as: initiator
type: sequential
__proto__: {polluted: true}
steps:
  - {seq: 1, name: a, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: {constructor: {prototype: 1}}}}
`))).toEqual([
      { path: '__proto__', message: 'key "__proto__" is not allowed', line: 4, column: 1 },
      { path: 'steps[0].handler.extraVars.constructor', message: 'key "constructor" is not allowed', line: 6, column: 89 },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects __proto__ keys in JSON text and parsed bodies', () => {
    const text = '{"orchName": "t", "as": "worker", "steps": [{"name": "a", "objectType": "S", "__proto__": {"polluted": true}}]}';
    const expected = [{ path: 'steps[0].__proto__', message: 'key "__proto__" is not allowed' }];
    expect(problems(json(text))).toEqual(expected);
    expect(problems(validateRegistration(JSON.parse(text) as object, 'application/json', LIMIT))).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects more than one YAML document', () => {
    expect(problems(yaml(`${ORIGINAL_INITIATOR}---\n${ORIGINAL_WORKER}`))).toEqual([
      { path: '(document)', message: 'expected one YAML document, found 2 (separated by ---)', line: 7, column: 1 },
    ]);
  });

  it('rejects a billion-laughs alias bomb quickly', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(problems(yaml(`${rows.join('\n')}\n`))).toEqual([
      { path: '(document)', message: 'aliases expand to too many nodes (more than 100); write the values out instead' },
    ]);
  });

  it('rejects a document whose aliases expand past 4 × the document limit, though it uses fewer than 100', () => {
    const vars = Array.from({ length: 100 }, (_, i) => `k${i}: "${'x'.repeat(90)}"`).join(', ');
    const reused = Array.from({ length: 30 }, (_, i) => `  - {seq: ${i + 2}, name: s${i + 1}, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: *big}}`);
    const text = `orchName: amp\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: s0, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: &big {${vars}}}}\n${reused.join('\n')}\n`;
    const maxBytes = 16 * 1024;
    expect(Buffer.byteLength(text)).toBeLessThan(maxBytes);
    expect(validateRegistration(text, 'application/yaml', { maxBytes })).toEqual({
      ok: false, orchName: 'amp', role: 'initiator',
      problems: [{ path: '(document)', message: expect.stringMatching(/^the document expands to \d+ bytes of JSON \(aliases written out, defaults filled in\); the limit is 65536 bytes, 4 × REGISTRATION_MAX_BYTES/) }],
    });
    expect(validateRegistration(text, 'application/yaml', { maxBytes: 128 * 1024 }).ok).toBe(true);
  });

  it('takes a JSON document of nothing but bare steps up to the document limit: filling in defaults stays under 4×', () => {
    const maxBytes = 6 * 1024; // about 190 steps: under MAX_STEPS
    const steps: string[] = [];
    const text = () => `{"orchName":"bare","as":"initiator","type":"dag","steps":[${steps.join(',')}]}`;
    while (Buffer.byteLength(text()) < maxBytes - 40) steps.push(`{"name":"s${steps.length}","objectType":"S"}`);
    expect(initiator(validateRegistration(text(), 'application/json', { maxBytes })).steps).toHaveLength(steps.length);
  });

  it('refuses flow nesting far too deep before parsing it, whatever quote-like text comes before it', () => {
    // `"a\\"` is a closed quote (the backslash escapes a backslash); a quote inside a plain scalar opens nothing.
    for (const description of ['"a\\\\"', 'say "hi', "'it''s'"]) {
      const text = `orchName: x\nas: initiator\ndescription: ${description}\nsteps: ${'['.repeat(120_000)}${']'.repeat(120_000)}\n`;
      expect(problems(yaml(text))).toEqual([{ path: '(document)', message: 'nested deeper than 64 levels', line: 4, column: 136 }]);
    }
  });

  it('refuses a YAML document of more values than its size allows before parsing them all', () => {
    const text = `orchName: x\nas: initiator\ntype: sequential\nsteps: [${Array(60_000).fill('[1]').join(',')}]\n`;
    expect(problems(yaml(text))).toEqual([{
      path: '(document)', line: 4, column: expect.any(Number),
      message: 'the document holds more than 32768 values (scalars, lists and maps), one per 8 bytes of the size limit: far more than a registration needs',
    }]);
  });

  it('refuses more than MAX_STEPS steps for their number alone, not each step for its own problems', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => ({ name: `s${i}` }));
    expect(problems(json(JSON.stringify({ orchName: 'x', as: 'initiator', type: 'sequential', steps })))).toEqual([
      { path: 'steps', message: 'must have at most 200 steps' },
    ]);
  });

  it('rejects custom and non-core tags', () => {
    expect(problems(yaml(`orchName: !!js/function "function () {}"
as: !foo initiator
type: !!binary aGk=
steps: !!set {a}
`))).toEqual([
      { path: 'orchName', message: 'tag !!js/function is not allowed (only plain YAML values)', line: 1, column: 25 },
      { path: 'as', message: 'tag !foo is not allowed (only plain YAML values)', line: 2, column: 10 },
      { path: 'type', message: 'tag !!binary is not allowed (only plain YAML values)', line: 3, column: 16 },
      { path: 'steps', message: 'tag !!set is not allowed (only plain YAML values)', line: 4, column: 14 },
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(problems(yaml('orchName: t\nas: worker\nsteps:\n  - {name: a, objectType: S\n'))).toEqual([
      expect.objectContaining({ path: '(document)', line: 5, column: 1 }),
    ]);
  });

  it('reports JSON syntax errors with line and column', () => {
    expect(problems(json('{\n  "orchName": "t",\n  "as": "worker",\n  "steps": [,]\n}'))).toEqual([
      { path: '(document)', message: 'invalid JSON: expected a value, found ","', line: 4, column: 13 },
    ]);
  });

  it('requires the root to be a map', () => {
    expect(problems(yaml('- a\n- b\n'))).toEqual([
      { path: '(document)', message: 'the document must be a map (with orchName, as, steps), found a list', line: 1, column: 1 },
    ]);
    expect(problems(json('"tenantCreation"'))).toEqual([
      { path: '(document)', message: 'the document must be a map (with orchName, as, steps), found a string' },
    ]);
    expect(problems(yaml(''))).toEqual([{ path: '(document)', message: 'document is empty' }]);
  });

  it('rejects duplicate and non-string keys', () => {
    expect(problems(yaml('orchName: t\nas: worker\norchName: u\n1: x\nsteps: [{name: a, objectType: S}]\n'))).toEqual([
      { path: 'orchName', message: 'duplicate key "orchName"', line: 3, column: 1 },
      { path: '["1"]', message: 'map keys must be strings, found a number', line: 4, column: 1 },
    ]);
  });

  it('validates a 256 KiB document of many keys (timing measured by hand, not asserted)', () => {
    const head = 'orchName: big\nas: initiator\ntype: sequential\nsteps:\n  - seq: 1\n    name: a\n    objectType: S\n    handler:\n      type: awx\n      jobTemplateId: 1\n      extraVars:\n';
    const lines = [head];
    let size = head.length;
    for (let i = 0; ; i++) {
      const line = `        k${i}: ${i}\n`;
      if (size + line.length > LIMIT.maxBytes) break;
      lines.push(line);
      size += line.length;
    }
    const result = initiator(yaml(lines.join('')));
    expect(Object.keys(result.steps[0].handler.extraVars as object).length).toBe(lines.length - 1);

    const unknown = ['orchName: big\nas: worker\nsteps: [{name: a, objectType: S}]\n'];
    for (let i = 0; unknown.length < 16_000; i++) unknown.push(`k${i}: ${i}\n`);
    const many = problems(yaml(unknown.join('')));
    expect(many).toHaveLength(201);
    expect(many[200]).toEqual({ path: '(document)', message: '15799 more problems not listed' });
  });
});
