import { BacklogTracker, waitingPartitions } from './backlog-tracker';

describe('waitingPartitions', () => {
  const watermarks = [{ partition: 0, low: '5', high: '20' }, { partition: 1, low: '0', high: '7' }, { partition: 2, low: '3', high: '9' }];

  it('resumes at the committed offset, or the low watermark when the commit is older than the log', () => {
    expect(waitingPartitions(watermarks, [{ partition: 0, offset: '2' }, { partition: 1, offset: '7' }, { partition: 2, offset: '4' }], true))
      .toEqual([{ partition: 0, next: '5', high: '20' }, { partition: 1, next: '7', high: '7' }, { partition: 2, next: '4', high: '9' }]);
  });

  it('starts a group without a commit where its start position says', () => {
    const none = watermarks.map(({ partition }) => ({ partition, offset: '-1' }));
    expect(waitingPartitions(watermarks, none, true).map((w) => w.next)).toEqual(['5', '0', '3']);
    expect(waitingPartitions(watermarks, [], false).map((w) => w.next)).toEqual(['20', '7', '9']);
  });
});

describe('BacklogTracker', () => {
  const since = new Date('2026-01-01T00:00:00Z');
  const applying = { kind: 'applying', since };

  it('is applying until the watermarks are known, even with nothing handled yet', () => {
    expect(new BacklogTracker(since).backlog()).toEqual(applying);
  });

  it('caught up once every partition was handled up to its high watermark at the join', () => {
    const tracker = new BacklogTracker(since);
    tracker.handledUpTo(0, '10'); // handled before the watermarks arrived: it counts
    tracker.found([{ partition: 0, next: '8', high: '12' }, { partition: 1, next: '0', high: '3' }]);
    expect(tracker.handledUpTo(1, '2')).toBe(false);
    expect(tracker.backlog()).toEqual(applying);
    expect(tracker.handledUpTo(0, '11', new Date(since.getTime() + 1500))).toBe(true); // reported once
    expect(tracker.backlog()).toEqual({ kind: 'applied' });
    expect({ waiting: tracker.waiting, ms: tracker.catchUpMs() }).toEqual({ waiting: 7, ms: 1500 });
    expect(tracker.handledUpTo(0, '12')).toBe(false);
  });

  it('waits for partitions other members hold until the group committed past their backlog', () => {
    // A member killed without leaving keeps partition 1 until its session expires: its replies wait.
    const tracker = new BacklogTracker(since);
    tracker.found([{ partition: 0, next: '0', high: '2' }, { partition: 1, next: '4', high: '9' }]);
    tracker.handledUpTo(0, '1');
    expect(tracker.committed(1, '8')).toBe(false); // offset 8 still to read
    expect(tracker.committed(1, '0')).toBe(false);
    expect(tracker.backlog()).toEqual(applying);
    expect(tracker.committed(1, '9')).toBe(true);
    expect(tracker.backlog()).toEqual({ kind: 'applied' });
  });

  it('counts only the contiguous handled offset the driver reports, never going back', () => {
    const tracker = new BacklogTracker(since);
    tracker.found([{ partition: 0, next: '0', high: '5' }]);
    tracker.handledUpTo(0, '4');
    tracker.handledUpTo(0, '1'); // an older batch finishing late
    expect(tracker.backlog()).toEqual({ kind: 'applied' });
  });

  it('is caught up at once when the group had read everything', () => {
    const read = new BacklogTracker(since);
    expect(read.found([{ partition: 0, next: '12', high: '12' }, { partition: 1, next: '0', high: '0' }])).toBe(true);
    expect(read.backlog()).toEqual({ kind: 'applied' });
  });

  it('cannot tell when the watermarks could not be read', () => {
    const tracker = new BacklogTracker(since);
    tracker.lost();
    expect(tracker.backlog()).toEqual({ kind: 'unknown' });
  });
});
