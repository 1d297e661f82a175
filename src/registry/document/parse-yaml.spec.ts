import { MAX_ALIAS_COUNT, parseYaml } from './parse-yaml';

const MAX_BYTES = 256 * 1024;

function parsed(text: string) {
  const outcome = parseYaml(text, MAX_BYTES);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome;
}
function problems(text: string) {
  const outcome = parseYaml(text, MAX_BYTES);
  if (outcome.ok) throw new Error('expected problems');
  return outcome.problems;
}

describe('parseYaml', () => {
  it('reads a document into plain objects', () => {
    const { value } = parsed('orchName: t\nsteps:\n  - {seq: 1, name: a}\n');
    expect(value).toEqual({ orchName: 't', steps: [{ seq: 1, name: 'a' }] });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('uses YAML 1.2 core meanings even under a %YAML 1.1 directive', () => {
    expect(parsed('%YAML 1.1\n---\na: yes\nb: 0o17\n<<: {c: 1}\n').value).toEqual({ a: 'yes', b: 15, '<<': { c: 1 } });
  });

  it('reports syntax errors with their line and column, and nothing else', () => {
    expect(problems('a: 1\nb:\n  c: 1\n d: 2\n')).toEqual([
      { path: '(document)', message: 'All mapping items must start at the same column', line: 4, column: 1 },
    ]);
    expect(problems('a: "unterminated\n')).toEqual([{ path: '(document)', message: 'Missing closing "quote', line: 2, column: 1 }]);
  });

  it('rejects a second document at its --- marker', () => {
    expect(problems('a: 1\n---\nb: 2\n---\nc: 3\n')).toEqual([
      { path: '(document)', message: 'expected one YAML document, found 3 (separated by ---)', line: 2, column: 1 },
    ]);
  });

  it('reads no further than the tenth document, or the twentieth syntax error: 50,000 `---` took 0.9 s', () => {
    expect(problems('a: 1\n' + '---\n'.repeat(50_000))).toEqual([
      { path: '(document)', message: 'expected one YAML document, found 10 or more (separated by ---)', line: 2, column: 1 },
    ]);
    expect(problems('a: 1\n' + ']\n'.repeat(60_000)).length).toBeLessThanOrEqual(20);
  });

  it('accepts one document with explicit start and end markers', () => {
    expect(parsed('---\na: 1\n...\n').value).toEqual({ a: 1 });
  });

  it('reports an empty document', () => {
    expect(problems('')).toEqual([{ path: '(document)', message: 'document is empty' }]);
    expect(problems('# only a comment\n')).toEqual([{ path: '(document)', message: 'document is empty' }]);
  });

  it('rejects duplicate, non-string and prototype keys at the key', () => {
    expect(problems('a: 1\nb:\n  a: 1\n  a: 2\n  ~: 3\n  ? [x]\n  : 4\n  true: 5\n  constructor: 6\n')).toEqual([
      { path: 'b.a', message: 'duplicate key "a"', line: 4, column: 3 },
      { path: 'b.null', message: 'map keys must be strings, found null', line: 5, column: 3 },
      { path: 'b["[\\"x\\"]"]', message: 'map keys must be strings, found a list', line: 6, column: 5 },
      { path: 'b.true', message: 'map keys must be strings, found a boolean', line: 8, column: 3 },
      { path: 'b.constructor', message: 'key "constructor" is not allowed', line: 9, column: 3 },
    ]);
  });

  it('accepts quoted keys that look like other types', () => {
    expect(parsed('"1": a\n"true": b\n').value).toEqual({ '1': 'a', true: 'b' });
  });

  it('rejects tags outside the core schema, on values and keys', () => {
    expect(problems('a: !Ref x\nb: !!timestamp 2001-12-14\n!k c: 1\nd: !!str 1\ne: !!int "2"\n')).toEqual([
      { path: 'a', message: 'tag !Ref is not allowed (only plain YAML values)', line: 1, column: 9 },
      { path: 'b', message: 'tag !!timestamp is not allowed (only plain YAML values)', line: 2, column: 16 },
      { path: 'c', message: 'tag !k is not allowed (only plain YAML values)', line: 3, column: 4 },
    ]);
  });

  it('rejects dangling and circular aliases before building objects', () => {
    expect(problems('a: *nowhere\nb: &loop [1, *loop]\n')).toEqual([
      { path: 'a', message: 'alias *nowhere has no anchor &nowhere before it', line: 1, column: 4 },
      { path: 'b[1]', message: 'alias *loop refers to a node that contains it', line: 2, column: 14 },
    ]);
  });

  it(`stops alias expansion after ${MAX_ALIAS_COUNT} nodes`, () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g']]) {
      rows.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    expect(problems(rows.join('\n'))).toEqual([
      { path: '(document)', message: `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}); write the values out instead` },
    ]);
  });

  it('rejects nesting past the limit', () => {
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`;
    expect(problems(deep)).toEqual([{ path: '[0]'.repeat(64), message: 'nested deeper than 64 levels', line: 1, column: 65 }]);
  });

  describe('locate', () => {
    const text = `orchName: t
steps:
  - seq: 1
    retry: &r {maxAttempts: 0}
  - {seq: 2, retry: *r, empty: }
`;
    const { locate } = parsed(text);

    it('finds values and keys', () => {
      expect(locate!(['orchName'])).toEqual({ line: 1, column: 11 });
      expect(locate!(['steps', 0, 'seq'])).toEqual({ line: 3, column: 10 });
      expect(locate!(['steps', 0, 'seq'], 'key')).toEqual({ line: 3, column: 5 });
      expect(locate!([])).toEqual({ line: 1, column: 1 });
    });

    it('falls back to the nearest existing ancestor for a missing key or index', () => {
      expect(locate!(['steps', 0, 'name'])).toEqual({ line: 3, column: 5 });
      expect(locate!(['steps', 7, 'name'])).toEqual({ line: 3, column: 3 });
      expect(locate!(['type'])).toEqual({ line: 1, column: 1 });
    });

    it('follows aliases', () => {
      expect(locate!(['steps', 1, 'retry', 'maxAttempts'])).toEqual({ line: 4, column: 29 });
    });

    it('points an empty value at its key', () => {
      expect(locate!(['steps', 1, 'empty'])).toEqual({ line: 5, column: 25 });
    });
  });

  it('reads a map of 16,000 keys (the duplicate-key check is linear)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 16_000; i++) lines.push(`k${i}: ${i}\n`);
    const value = parsed(lines.join('')).value as Record<string, number>;
    expect(Object.keys(value)).toHaveLength(lines.length);
  });
});
