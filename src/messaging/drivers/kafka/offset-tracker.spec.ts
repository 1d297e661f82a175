import { OffsetTracker } from './offset-tracker';

const tracking = (offsets: string[]) => {
  const tracker = new OffsetTracker();
  for (const offset of offsets) tracker.track(offset);
  return tracker;
};

describe('OffsetTracker', () => {
  it('moves the committable offset only over a finished prefix', () => {
    const tracker = tracking(['10', '11', '12', '14']);
    expect(tracker.complete('11')).toBeUndefined();
    expect(tracker.complete('14')).toBeUndefined();
    expect(tracker.complete('10')).toBe('11');
    expect(tracker.complete('12')).toBe('14'); // gaps in offsets (compaction) are fine
  });

  it('spans fetches: offsets taken while earlier ones run wait behind them', () => {
    const tracker = tracking(['1', '2']);
    expect(tracker.complete('2')).toBeUndefined();
    tracker.track('3');
    expect(tracker.complete('3')).toBeUndefined();
    expect(tracker.complete('1')).toBe('3');
    tracker.track('4');
    expect(tracker.complete('4')).toBe('4');
  });

  it('rejects an offset it does not track, or one already committable', () => {
    const tracker = tracking(['1']);
    expect(() => tracker.complete('2')).toThrow('not tracked');
    expect(tracker.complete('1')).toBe('1');
    expect(() => tracker.complete('1')).toThrow('not tracked');
  });
});
