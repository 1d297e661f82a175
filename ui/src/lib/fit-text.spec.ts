import { describe, expect, it } from 'vitest';
import { fitText } from './fit-text';

/** 8 px a character, as a node's bold 13 px name roughly is. */
const width = (s: string) => s.length * 8;

describe('fitText', () => {
  it('leaves a name that fits as it is', () => {
    expect(fitText('reserveStock', 190, width)).toBe('reserveStock');
    expect(fitText('x'.repeat(23), 184, width)).toBe('x'.repeat(23));
  });

  it('cuts a long name after the longest start that fits with the ellipsis', () => {
    const cut = fitText('reconcileCustomerLedgerWithExternalBillingProvider', 190, width);
    expect(cut).toBe('reconcileCustomerLedge…');
    expect(width(cut)).toBeLessThanOrEqual(190);
    expect(width(`${cut.slice(0, -1)}x…`)).toBeGreaterThan(190);
  });

  it('gives room too narrow for a character the ellipsis alone', () => {
    expect(fitText('reserve', 10, width)).toBe('…');
  });
});
