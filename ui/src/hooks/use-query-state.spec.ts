import { describe, expect, it } from 'vitest';
import { queryValues } from './use-query-state';

describe('queryValues', () => {
  it('decodes a value once: a filter that itself contains %41 stays as typed', () => {
    const search = `?${new URLSearchParams({ orchName: 'ab%41c' })}`;
    expect(search).toBe('?orchName=ab%2541c');
    expect(queryValues(search, ['orchName', 'page'] as const)).toEqual({ orchName: 'ab%41c', page: '' });
  });

  it('reads spaces, plus signs and non-ASCII as the address bar encodes them', () => {
    expect(queryValues('?q=a+b%2Bc%C3%A9', ['q'] as const)).toEqual({ q: 'a b+cé' });
  });
});
