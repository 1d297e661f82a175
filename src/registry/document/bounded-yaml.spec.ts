import { LineCounter } from 'yaml';
import { parseBoundedYaml, type YamlBounds } from './bounded-yaml';

const OPTIONS = { prettyErrors: false, uniqueKeys: false, schema: 'core', version: '1.2', logLevel: 'error' } as const;

function parse(text: string, bounds: Partial<YamlBounds> = {}) {
  return parseBoundedYaml(text, new LineCounter(), { maxFlowDepth: 3, maxValues: 1000, ...bounds }, OPTIONS);
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
    expect(parse('a: [[[[1]]]]')).toEqual({ ok: false, offset: 6, exceeded: 'maxFlowDepth' });
    expect(parse(`a: ${'{b: '.repeat(10)}1${'}'.repeat(10)}`, { maxFlowDepth: 5 })).toEqual({ ok: false, offset: 23, exceeded: 'maxFlowDepth' });
  });

  it('reads quotes, escapes and comments as YAML does: no bracket hides behind a quote that is not one', () => {
    // In double quotes a backslash escapes (`"a\\"` ends at its third quote); in single quotes '' is a quote.
    // A quote inside a plain scalar opens nothing.
    for (const text of ['d: "a\\\\"\nsteps: [[[[1]]]]', "d: 'it''s'\nsteps: [[[[1]]]]", 'd: say "hi\nsteps: [[[[1]]]]']) {
      expect({ text, parsed: parse(text) }).toEqual({ text, parsed: { ok: false, offset: text.indexOf('[[[[') + 3, exceeded: 'maxFlowDepth' } });
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
});
