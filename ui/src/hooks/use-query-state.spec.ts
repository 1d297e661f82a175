import { describe, expect, it } from 'vitest';
import { mergedSearch, queryValues } from './use-query-state';

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

describe('mergedSearch', () => {
  const keys = ['orchName', 'status', 'page'] as const;
  const values = { orchName: 'demo', status: '', page: '3' };

  it('changes the keys given, keeps the others, and leaves out the empty ones', () => {
    expect(mergedSearch(keys, values, { status: 'FAILED', page: '' })).toBe('orchName=demo&status=FAILED');
  });

  it('is the search as it is when nothing changes: no history entry is added for it', () => {
    expect(mergedSearch(keys, values, { orchName: 'demo' })).toBe(mergedSearch(keys, values, {}));
  });
});
