import { describe, expect, it } from 'vitest';
import { labelSide } from './bar-label';

describe('labelSide', () => {
  const bar = { left: 100, width: 60 };

  it("draws a label at its bar's start when no tick falls there", () => {
    expect(labelSide(bar, 12, [])).toBe('start');
    expect(labelSide(bar, 12, [90, 130])).toBe('start');
  });

  it("moves it to the bar's end when a tick falls on its start: an operator's retry, logged just before the retry", () => {
    expect(labelSide(bar, 12, [101])).toBe('end');
    expect(labelSide(bar, 12, [114])).toBe('end');
  });

  it('keeps it at the start when a tick falls on either end: the label is drawn above the tick there', () => {
    expect(labelSide({ left: 100, width: 26 }, 12, [113])).toBe('start');
    expect(labelSide(bar, 12, [101, 155])).toBe('start');
  });
});
