import { describe, expect, it } from 'vitest';
import { rangeProblem } from './created-range';

const RUNS = ['run', 'runs'] as const;

describe('rangeProblem', () => {
  it('says when "to" is before "from", which nothing can match', () => {
    expect(rangeProblem('2026-12-02T00:00:00.000Z', '2026-12-01T00:00:00.000Z', RUNS)).toBe('“to” is before “from”: no run can match. Swap them or clear one.');
  });

  it('says so when "to" is "from": "to" is exclusive, so that range holds nothing either', () => {
    expect(rangeProblem('2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', RUNS))
      .toBe('“to” is “from”, and runs are listed up to “to”, not at it: no run can match. Swap them or clear one.');
  });

  it("names what the list holds (the security audit's events)", () => {
    expect(rangeProblem('2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', ['event', 'events']))
      .toBe('“to” is “from”, and events are listed up to “to”, not at it: no event can match. Swap them or clear one.');
  });

  it('says nothing of an ordered or half-open range, nor of a time it cannot read (Baton refuses that, saying why)', () => {
    expect(rangeProblem('2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', RUNS)).toBeNull();
    expect(rangeProblem('', '2026-12-01T00:00:00.000Z', RUNS)).toBeNull();
    expect(rangeProblem('2026-12-01T00:00:00.000Z', '', RUNS)).toBeNull();
    expect(rangeProblem('2026-12-01T00:00:00.000Z', 'yesterday', RUNS)).toBeNull();
  });
});
