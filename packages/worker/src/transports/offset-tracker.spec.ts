import { OffsetTracker } from './offset-tracker';

describe('OffsetTracker', () => {
  it('moves the committable offset only over a finished prefix', () => {
    const tracker = new OffsetTracker(['10', '11', '12', '14']);
    expect(tracker.complete('11')).toBeUndefined();
    expect(tracker.complete('14')).toBeUndefined();
    expect(tracker.complete('10')).toBe('11');
    expect(tracker.complete('12')).toBe('14'); // gaps in offsets (compaction) are fine
  });

  it('rejects an offset from another batch', () => {
    expect(() => new OffsetTracker(['1']).complete('2')).toThrow('not part of this batch');
  });
});
