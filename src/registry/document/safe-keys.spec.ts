import { findUnsafeKeys, MAX_NESTING } from './safe-keys';

describe('findUnsafeKeys', () => {
  it('finds a __proto__ key JSON.parse made an own property', () => {
    const value: unknown = JSON.parse('{"a": {"__proto__": {"polluted": 1}}}');
    expect(findUnsafeKeys(value)).toEqual([{ path: ['a', '__proto__'], message: 'key "__proto__" is not allowed', at: 'key' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('finds constructor and prototype keys inside lists', () => {
    expect(findUnsafeKeys({ steps: [{ constructor: 1 }, { x: { prototype: 2 } }] })).toEqual([
      { path: ['steps', 0, 'constructor'], message: 'key "constructor" is not allowed', at: 'key' },
      { path: ['steps', 1, 'x', 'prototype'], message: 'key "prototype" is not allowed', at: 'key' },
    ]);
  });

  it('accepts ordinary values', () => {
    expect(findUnsafeKeys({ a: [1, 'x', null, { b: true }] })).toEqual([]);
    expect(findUnsafeKeys('text')).toEqual([]);
  });

  it('stops at the nesting limit, which also ends cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const issues = findUnsafeKeys(cyclic);
    expect(issues).toEqual([{ path: Array(MAX_NESTING + 1).fill('self'), message: `nested deeper than ${MAX_NESTING} levels` }]);
  });
});
