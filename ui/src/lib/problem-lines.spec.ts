import { describe, expect, it } from 'vitest';
import { annotateDocument } from './problem-lines';

describe('annotateDocument', () => {
  it('puts each problem beside its line and keeps the rest apart', () => {
    const doc = 'orchName: x\nas: initiator\nsteps:\n  - {seq: one}\n';
    const { lines, unplaced } = annotateDocument(doc, [
      { path: 'steps.0.seq', message: 'must be an integer', line: 4, column: 11 },
      { path: 'type', message: 'required' },
      { path: 'x', message: 'beyond the kept document', line: 99 },
    ]);
    expect(lines[3]).toMatchObject({ number: 4, text: '  - {seq: one}' });
    expect(lines[3].problems.map((p) => p.message)).toEqual(['must be an integer']);
    expect(lines.filter((l) => l.problems.length).length).toBe(1);
    expect(unplaced.map((p) => p.path)).toEqual(['type', 'x']);
  });
});
