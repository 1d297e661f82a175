import { liveSteps } from './live-steps';

describe('liveSteps', () => {
  it('counts the instances per step and keeps the latest sighting', () => {
    const early = new Date('2026-12-01T10:00:00Z');
    const late = new Date('2026-12-01T10:00:05Z');
    expect(liveSteps([
      { lastSeenAt: early, steps: [{ orchName: 'o', stepName: 'a' }, { orchName: 'o', stepName: 'b' }] },
      { lastSeenAt: late, steps: [{ orchName: 'o', stepName: 'a' }] },
    ])).toEqual([
      { orchName: 'o', stepName: 'a', liveInstances: 2, lastSeenAt: late },
      { orchName: 'o', stepName: 'b', liveInstances: 1, lastSeenAt: early },
    ]);
  });
});
