import { describe, expect, it } from 'vitest';
import { deadlineNote } from './deadline';

const at = '2026-12-01T10:30:00.000Z';

describe('deadlineNote', () => {
  it('is nothing for a run without a deadline', () => {
    expect(deadlineNote({ deadlineAt: null, onDeadline: null, deadlineRemainingSeconds: null })).toBeNull();
    expect(deadlineNote({})).toBeNull();
  });

  it('says how far ahead it is, and what passing it does', () => {
    expect(deadlineNote({ deadlineAt: at, onDeadline: 'compensate', deadlineRemainingSeconds: 720 }))
      .toEqual({ at, when: 'in 12 min 0 s', effect: 'then the run is compensated (its succeeded steps undone)' });
    expect(deadlineNote({ deadlineAt: at, onDeadline: 'pause', deadlineRemainingSeconds: 5 })?.effect).toBe('then a running run is paused');
  });

  it('says how long ago it passed', () => {
    expect(deadlineNote({ deadlineAt: at, onDeadline: 'alert', deadlineRemainingSeconds: -184 }))
      .toEqual({ at, when: 'passed 3 min 4 s ago', effect: 'then Baton only reports it (on the run status topic)' });
  });

  it('on a finished run gives the time alone: the deadline no longer applies', () => {
    expect(deadlineNote({ deadlineAt: at, onDeadline: 'compensate', deadlineRemainingSeconds: null })).toEqual({ at, when: null, effect: null });
  });
});
