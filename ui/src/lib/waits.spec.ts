import { describe, expect, it } from 'vitest';
import { waitParts } from './waits';

describe('waitParts', () => {
  it('keeps each time apart from its text, to be shown in local time', () => {
    expect(waitParts({
      waitingFor: 'DO a attempt 1 on t (deadline 2026-12-02T10:01:00.000Z); DO b attempt 2 on t (retry due 2026-12-02T10:00:30.000Z)',
      waits: [
        { what: 'DO a attempt 1 on t', deadlineAt: '2026-12-02T10:01:00.000Z', retryAt: null },
        { what: 'DO b attempt 2 on t', deadlineAt: null, retryAt: '2026-12-02T10:00:30.000Z' },
        { what: 'workers for steps: c', deadlineAt: null, retryAt: null },
      ],
    })).toEqual([
      { what: 'DO a attempt 1 on t', time: { label: 'deadline', at: '2026-12-02T10:01:00.000Z' } },
      { what: 'DO b attempt 2 on t', time: { label: 'retry due', at: '2026-12-02T10:00:30.000Z' } },
      { what: 'workers for steps: c' },
    ]);
  });

  it('shows the text of an engine that sends no structured waits as it is, and nothing for a finished run', () => {
    expect(waitParts({ waitingFor: 'DO a attempt 1 on t (deadline 2026-12-02T10:01:00.000Z)' }))
      .toEqual([{ what: 'DO a attempt 1 on t (deadline 2026-12-02T10:01:00.000Z)' }]);
    expect(waitParts({})).toEqual([]);
  });
});
