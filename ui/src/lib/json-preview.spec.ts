import { describe, expect, it } from 'vitest';
import { fullText, jsonPreview } from './json-preview';

const sample = { a: 1, b: [true, null, 'x"y\n', { c: [], d: {} }, undefined], e: { f: -0.5, 'g h': 'é', 2: 'two' }, skipped: undefined };

describe('jsonPreview', () => {
  it('is JSON.stringify(value, null, 2) when it fits', () => {
    expect(jsonPreview(sample, 10_000)).toEqual({ text: JSON.stringify(sample, null, 2), truncated: false });
    for (const v of [null, 0, 'text as it is', [], {}, [[1, [2]], {}]]) expect(jsonPreview(v, 1000).text).toBe(fullText(v));
  });

  it('is the first `limit` characters of it when it does not fit, and says so', () => {
    const full = JSON.stringify(sample, null, 2);
    for (const limit of [1, 17, 40, full.length - 1]) expect(jsonPreview(sample, limit)).toEqual({ text: full.slice(0, limit), truncated: true });
    expect(jsonPreview('abcdef', 3)).toEqual({ text: 'abc', truncated: true });
  });

  it('stops at the limit without walking the rest: a value of 100,000 items costs what the limit does', () => {
    let read = 0;
    const items = Array.from({ length: 100_000 }, (_, i) => ({ get n() { read++; return i; } }));
    const { text, truncated } = jsonPreview(items, 1000);
    expect(truncated).toBe(true);
    expect(text.length).toBe(1000);
    expect(read).toBeLessThan(200);
  });

  it('cuts a long string before escaping it, and still ends exactly at the limit', () => {
    const { text } = jsonPreview({ big: '"'.repeat(5_000_000) }, 100);
    expect(text).toBe(`{\n  "big": "${'\\"'.repeat(50)}`.slice(0, 100));
  });
});
