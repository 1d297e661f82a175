import { LineCounter } from 'yaml';
import { MAX_DOCUMENTS, parseBoundedYaml, type YamlBounds } from './bounded-yaml';

const OPTIONS = { prettyErrors: false, uniqueKeys: false, schema: 'core', version: '1.2', logLevel: 'error' } as const;

function parse(text: string, bounds: Partial<YamlBounds> = {}) {
  return parseBoundedYaml(text, new LineCounter(), { maxDepth: 3, maxValues: 1000, ...bounds }, OPTIONS);
}
const valueOf = (text: string, bounds: Partial<YamlBounds> = {}) => {
  const parsed = parse(text, bounds);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.docs[0].toJS();
};

describe('parseBoundedYaml', () => {
  it('parses as parseAllDocuments does while within its bounds', () => {
    expect(valueOf('a: [[[1]]]\nb: {c: "x"}\n')).toEqual({ a: [[[1]]], b: { c: 'x' } });
    const empty = parse('# nothing\n');
    expect(empty.ok && empty.docs.length === 0 && 'empty' in empty.docs).toBe(true);
  });

  it('stops at the first flow collection opened too deep', () => {
    expect(parse('a: [[[[1]]]]')).toEqual({ ok: false, offset: 6, exceeded: 'maxDepth' });
    expect(parse(`a: ${'{b: '.repeat(10)}1${'}'.repeat(10)}`, { maxDepth: 5 })).toEqual({ ok: false, offset: 23, exceeded: 'maxDepth' });
  });

  it('stops at the first block collection opened too deep, by indentation or on one line, before the composer recurses', () => {
    expect(parse('- - - - 1\n')).toEqual({ ok: false, offset: 6, exceeded: 'maxDepth' });
    expect(parse('a:\n b:\n  c:\n   d: 1\n')).toMatchObject({ ok: false, exceeded: 'maxDepth' });
    expect(parse('? ? ? ? x\n')).toMatchObject({ ok: false, exceeded: 'maxDepth' });
    expect(valueOf('a:\n  b:\n    - [[1]]\n')).toEqual({ a: { b: [[[1]]] } });
    // 20,000 levels overflowed yaml's recursive composer: "Maximum call stack size exceeded" came back as the problem.
    for (const text of ['- '.repeat(20_000) + '1\n', '? '.repeat(20_000) + 'x\n']) {
      expect(parse(text, { maxDepth: 128 })).toEqual({ ok: false, offset: 256, exceeded: 'maxDepth' });
    }
  });

  it('reads quotes, escapes and comments as YAML does: no bracket hides behind a quote that is not one', () => {
    // In double quotes a backslash escapes (`"a\\"` ends at its third quote); in single quotes '' is a quote.
    // A quote inside a plain scalar opens nothing.
    for (const text of ['d: "a\\\\"\nsteps: [[[[1]]]]', "d: 'it''s'\nsteps: [[[[1]]]]", 'd: say "hi\nsteps: [[[[1]]]]']) {
      expect({ text, parsed: parse(text) }).toEqual({ text, parsed: { ok: false, offset: text.indexOf('[[[[') + 3, exceeded: 'maxDepth' } });
    }
    // Brackets inside quoted, plain and block scalars and comments are text.
    expect(valueOf("description: it's [[[[x]]]]")).toEqual({ description: "it's [[[[x]]]]" });
    expect(valueOf('a: "[[[[\\"[["\nb: \'{{{{\'\n# [[[[[\nc: [1] # {{{{\nd: |\n  [[[[[\n')).toEqual({ a: '[[[["[[', b: '{{{{', c: [1], d: '[[[[[\n' });
  });

  it('stops at the first value past maxValues, whatever the shape', () => {
    // Keys, scalars, the flow list and the block list's entry: 7 values.
    expect(valueOf('a: [1, 2]\nb:\n  - c\n', { maxValues: 7 })).toEqual({ a: [1, 2], b: ['c'] });
    expect(parse('a: [1, 2]\nb:\n  - c\n', { maxValues: 6 })).toEqual({ ok: false, offset: 17, exceeded: 'maxValues' });
    expect(parse(`steps: [${Array(60_000).fill('[1]').join(',')}]`, { maxValues: 100 })).toMatchObject({ ok: false, exceeded: 'maxValues' });
    expect(parse('a: "x"\nb: \'y\'\nc: *x\n', { maxValues: 5 })).toMatchObject({ ok: false, offset: 17, exceeded: 'maxValues' });
  });

  it('leaves the rest unread after a second document or 20 syntax errors, whose refusal is certain already', () => {
    const docs = parse('a: 1\n' + '---\n'.repeat(50_000));
    expect(docs.ok && docs.docs.length).toBeLessThanOrEqual(MAX_DOCUMENTS + 1);
    const stray = parse('a: 1\n' + ']\n'.repeat(60_000));
    expect(stray.ok && stray.docs.flatMap((d) => d.errors).length).toBeGreaterThan(0);
    expect(stray.ok && stray.docs.flatMap((d) => d.errors).length).toBeLessThanOrEqual(20);
  });

  it('counts what adds a node without a value token: a `:` after no key, a `?`; and stops reading after a thousand anchors or tags too many', () => {
    // Keys and values as before: a `:` after a key adds nothing.
    expect(valueOf('a: 1\n"b" : 2\n[c]: 3\n', { maxValues: 7 })).toEqual({ a: 1, b: 2, '[ c ]': 3 });
    expect(parse(':\n'.repeat(120_000), { maxValues: 1000 })).toMatchObject({ ok: false, exceeded: 'maxValues' });
    expect(parse('{:, :, :}', { maxValues: 3 })).toMatchObject({ ok: false, exceeded: 'maxValues' });
    expect(parse('?\n'.repeat(120_000), { maxValues: 1000 })).toMatchObject({ ok: false, exceeded: 'maxValues' });
    for (const property of ['&x ', '!!str ']) {
      const many = parse(`a: ${property.repeat(80_000)}1\n`);
      // Read whole, each extra one was an error of its own: 80,000 anchors took 2.2 s.
      expect(many.ok && many.docs[0].errors.length).toBeGreaterThan(0);
      expect(many.ok && many.docs[0].errors.length).toBeLessThanOrEqual(1100);
    }
    expect(valueOf('a: &x !!str 1\nb: *x\n')).toEqual({ a: '1', b: '1' });
    // A collection's anchor and tag, then its first key's on the next line: valid, however often.
    const steps = Array.from({ length: 40 }, (_, i) => `- &s${i} !!map\n  &k${i} !!str seq: ${i}\n`).join('');
    expect(valueOf(steps)).toHaveLength(40);
  });
});
