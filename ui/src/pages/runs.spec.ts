import { describe, expect, it } from 'vitest';
import { rangeProblem } from './runs';

describe('rangeProblem', () => {
  it('says when "to" is before "from", which no run can match', () => {
    expect(rangeProblem('2026-12-02T00:00:00.000Z', '2026-12-01T00:00:00.000Z')).toContain('“to” is before “from”');
  });

  it('says nothing of an ordered or half-open range', () => {
    expect(rangeProblem('2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z')).toBeNull();
    expect(rangeProblem('', '2026-12-01T00:00:00.000Z')).toBeNull();
  });
});
