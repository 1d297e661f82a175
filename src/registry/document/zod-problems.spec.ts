import { z } from 'zod';
import { documentErrorMap, toDocumentIssues } from './zod-problems';

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value, { error: documentErrorMap });
  return result.success ? [] : toDocumentIssues(result.error.issues);
};

describe('documentErrorMap', () => {
  it('tells a missing field from a wrong type', () => {
    const schema = z.object({ a: z.string(), b: z.number(), c: z.array(z.string()), d: z.object({}) });
    expect(issuesOf(schema, { b: 'x', c: {}, d: [] })).toEqual([
      { path: ['a'], message: 'is required' },
      { path: ['b'], message: 'expected a number, found a string "x"' },
      { path: ['c'], message: 'expected a list, found a map' },
      { path: ['d'], message: 'expected a map, found a list' },
    ]);
  });

  it('words ranges and lengths', () => {
    expect(issuesOf(z.number().min(2), 1)).toEqual([{ path: [], message: 'must be at least 2' }]);
    expect(issuesOf(z.number().lt(2), 3)).toEqual([{ path: [], message: 'must be less than 2' }]);
    expect(issuesOf(z.string().max(2), 'abc')).toEqual([{ path: [], message: 'must be at most 2 characters' }]);
    expect(issuesOf(z.array(z.number()).min(1), [])).toEqual([{ path: [], message: 'must be at least 1 items' }]);
  });

  it('keeps messages a schema words itself', () => {
    expect(issuesOf(z.string({ error: 'custom' }), 1)).toEqual([{ path: [], message: 'custom' }]);
  });
});

describe('toDocumentIssues', () => {
  it('splits unknown keys into one issue each, located at the key', () => {
    expect(issuesOf(z.strictObject({ a: z.number() }), { a: 1, b: 2, c: 3 })).toEqual([
      { path: ['b'], message: 'unknown field', at: 'key' },
      { path: ['c'], message: 'unknown field', at: 'key' },
    ]);
  });

  it("reports a union's one close alternative, with full paths", () => {
    const schema = z.object({ undo: z.union([z.boolean(), z.strictObject({ type: z.literal('awx'), id: z.number() })]) });
    expect(issuesOf(schema, { undo: { type: 'awx' } })).toEqual([{ path: ['undo', 'id'], message: 'is required' }]);
    expect(issuesOf(schema, { undo: 'maybe' })).toEqual([{ path: ['undo'], message: 'does not match any allowed form' }]);
  });

  it('prefixes a base path', () => {
    expect(toDocumentIssues([{ code: 'custom', path: [0], message: 'm', input: 1 }], ['steps'])).toEqual([{ path: ['steps', 0], message: 'm' }]);
  });
});
