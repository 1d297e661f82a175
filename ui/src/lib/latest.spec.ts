import { describe, expect, it } from 'vitest';
import { latest } from './latest';

describe('latest', () => {
  it('keeps the last items and counts the earlier ones left out', () => {
    expect(latest([1, 2, 3, 4, 5], 2)).toEqual({ shown: [4, 5], hidden: 3 });
  });

  it('keeps everything when it fits', () => {
    expect(latest([1, 2], 2)).toEqual({ shown: [1, 2], hidden: 0 });
  });
});
