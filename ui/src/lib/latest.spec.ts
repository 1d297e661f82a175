import { describe, expect, it } from 'vitest';
import { latest } from './latest';

describe('latest', () => {
  it('keeps the last items and counts the earlier ones left out', () => {
    expect(latest([1, 2, 3, 4, 5], 2, false)).toEqual({ shown: [4, 5], hidden: 3 });
  });

  it('keeps everything when it fits, or when all are asked for', () => {
    expect(latest([1, 2], 2, false)).toEqual({ shown: [1, 2], hidden: 0 });
    expect(latest([1, 2, 3], 2, true)).toEqual({ shown: [1, 2, 3], hidden: 0 });
  });
});
