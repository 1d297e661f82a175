import { describe, expect, it } from 'vitest';
import { ariaSort, orderParam, runOrder } from './run-order';

describe('runOrder', () => {
  it('is the order in the URL', () => {
    expect(runOrder('oldest', false)).toBe('oldest');
    expect(runOrder('newest', true)).toBe('newest');
  });

  it('is newest first by default, and the longest waiting first for the unfinished runs, as Baton and the overview list them', () => {
    expect(runOrder('', false)).toBe('newest');
    expect(runOrder('', true)).toBe('oldest');
  });

  it('ignores an order Baton does not know, rather than send it to be refused', () => {
    expect(runOrder('sideways', false)).toBe('newest');
    expect(runOrder('OLDEST', true)).toBe('oldest');
    expect(runOrder('OLDEST', false)).toBe('newest');
  });
});

describe('orderParam', () => {
  it('keeps the default order out of the URL, and any other in it', () => {
    expect(orderParam('newest', false)).toBe('');
    expect(orderParam('oldest', false)).toBe('oldest');
    expect(orderParam('oldest', true)).toBe('');
    expect(orderParam('newest', true)).toBe('newest');
  });
});

describe('ariaSort', () => {
  it('says which way the Created column is sorted', () => {
    expect(ariaSort('newest')).toBe('descending');
    expect(ariaSort('oldest')).toBe('ascending');
  });
});
