import { formatPath, limitProblems, positionAt, sortProblems, toProblem } from './document-path';

describe('formatPath', () => {
  it('writes keys with dots and indexes in brackets', () => {
    expect(formatPath(['steps', 1, 'seq'])).toBe('steps[1].seq');
    expect(formatPath(['orchName'])).toBe('orchName');
    expect(formatPath(['steps', 0, 'handler', 'extraVars', 'a b'])).toBe('steps[0].handler.extraVars["a b"]');
    expect(formatPath(['1'])).toBe('["1"]');
  });

  it('names the document itself', () => {
    expect(formatPath([])).toBe('(document)');
  });
});

describe('positionAt', () => {
  it('gives 1-based lines and columns', () => {
    const text = 'a: 1\nbb: 2\r\ncc: 3';
    expect(positionAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt(text, 5)).toEqual({ line: 2, column: 1 });
    expect(positionAt(text, 9)).toEqual({ line: 2, column: 5 });
    expect(positionAt(text, 13)).toEqual({ line: 3, column: 2 });
  });

  it('clamps an offset past the end', () => {
    expect(positionAt('ab', 10)).toEqual({ line: 1, column: 3 });
  });
});

describe('toProblem', () => {
  it('adds the position the locator finds', () => {
    const locate = jest.fn().mockReturnValue({ line: 3, column: 7 });
    expect(toProblem({ path: ['steps', 0, 'foo'], message: 'unknown field', at: 'key' }, locate)).toEqual({
      path: 'steps[0].foo', message: 'unknown field', line: 3, column: 7,
    });
    expect(locate).toHaveBeenCalledWith(['steps', 0, 'foo'], 'key');
  });

  it('leaves the position out without a locator', () => {
    expect(toProblem({ path: ['as'], message: 'is required' })).toEqual({ path: 'as', message: 'is required' });
  });
});

describe('sortProblems', () => {
  it('orders by line and column and keeps unpositioned problems last, in order', () => {
    const sorted = sortProblems([
      { path: 'x', message: '1' },
      { path: 'b', message: '2', line: 2, column: 5 },
      { path: 'a', message: '3', line: 2, column: 1 },
      { path: 'y', message: '4' },
      { path: 'c', message: '5', line: 1, column: 9 },
    ]);
    expect(sorted.map((p) => p.message)).toEqual(['5', '3', '2', '1', '4']);
  });
});

describe('limitProblems', () => {
  it('keeps short lists and summarises long ones', () => {
    const list = Array.from({ length: 5 }, (_, i) => ({ path: `k${i}`, message: 'unknown field' }));
    expect(limitProblems(list, 5)).toBe(list);
    expect(limitProblems(list, 3)).toEqual([...list.slice(0, 3), { path: '(document)', message: '2 more problems not listed' }]);
    expect(limitProblems(list, 4)[4]).toEqual({ path: '(document)', message: '1 more problem not listed' });
  });
});
