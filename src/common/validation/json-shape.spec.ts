import { jsonShapeProblems } from './json-shape';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? { k: value } : [value];
  return value;
};

describe('jsonShapeProblems', () => {
  const limits = { maxDepth: 4 };

  it('accepts scalars, and nesting up to the limit', () => {
    for (const value of ['x', 42, null, true, nested(4)]) expect(jsonShapeProblems(value, 'payload', limits)).toEqual([]);
  });

  it('refuses nesting one level past the limit, naming where', () => {
    expect(jsonShapeProblems({ a: [[{ b: [1] }]] }, 'payload', limits)).toEqual([
      { path: 'payload.a[0][0].b', message: 'nested deeper than 4 levels' },
    ]);
  });

  it('checks a value nested 100,000 deep without overflowing the stack', () => {
    expect(jsonShapeProblems(nested(100_000), 'payload', limits)).toHaveLength(1);
  });

  it('names NUL characters in values and keys', () => {
    expect(jsonShapeProblems({ a: ['ok', 'b\u0000'], 'c\u0000': 1 }, 'payload', limits)).toEqual([
      { path: 'payload.c\u0000', message: 'key contains a NUL character (at 1), which cannot be stored' },
      { path: 'payload.a[1]', message: 'contains a NUL character (at 1), which cannot be stored' },
    ]);
  });

  it('names numbers past a double, which JSON.parse reads as Infinity and JSON.stringify writes as null', () => {
    const value = JSON.parse('{"amount": 1e400, "debt": -1e400, "ratio": 0.1, "tiny": 5e-324}') as object;
    expect(jsonShapeProblems(value, 'payload', limits).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'payload.amount', message: 'is a number too large for a double (it would arrive as null)' },
      { path: 'payload.debt', message: 'is a number too large for a double (it would arrive as null)' },
    ]);
  });

  it('names numbers past 2^53, which a double holds only approximately: a 64-bit id would reach a worker changed', () => {
    const value = JSON.parse('{"id": 12345678901234567890, "neg": -9007199254740993, "max": 1.7976931348623157e308, '
      + '"safe": 9007199254740991, "safeNeg": -9007199254740991}') as object;
    const past = 'is a number past ±9007199254740991 (2^53 - 1), which would not arrive exactly as sent: send it as a string';
    expect(jsonShapeProblems(value, 'payload', limits).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'payload.id', message: past }, { path: 'payload.max', message: past }, { path: 'payload.neg', message: past },
    ]);
  });
});
