import { describe, expect, it } from 'vitest';
import { unsent } from './unsent';

const AT = '2026-12-01T12:00:00.000Z';
const LATER = '2026-12-01T12:00:30.000Z';

describe('unsent', () => {
  it('reads a voided attempt whose times are all one moment as owed: it waited its turn, it was never due then', () => {
    expect(unsent({ status: 'VOIDED', dispatchedAt: AT, completedAt: AT }))
      .toEqual({ kind: 'owed', when: 'owed from', end: 'never sent: waited its turn, to go out as a later attempt' });
  });

  it('reads one voided before the due time it records as a retry that was due then', () => {
    expect(unsent({ status: 'VOIDED', dispatchedAt: LATER, completedAt: AT })).toEqual({ kind: 'voided', when: 'was due', end: 'never sent' });
  });

  it('compares instants, not how they are written', () => {
    expect(unsent({ status: 'VOIDED', dispatchedAt: '2026-12-01T13:00:00+01:00', completedAt: AT })?.kind).toBe('owed');
  });

  it('leaves alone an attempt that was sent, or skipped', () => {
    for (const status of ['DISPATCHED', 'SUCCEEDED', 'FAILED', 'FAILED_FINAL', 'TIMED_OUT', 'SKIPPED', 'ABANDONED'] as const) {
      expect(unsent({ status, dispatchedAt: AT, completedAt: AT })).toBeNull();
    }
  });

  it('claims no owing it cannot see: a voided attempt with no end recorded reads as it always did', () => {
    expect(unsent({ status: 'VOIDED', dispatchedAt: AT, completedAt: null })?.kind).toBe('voided');
  });
});
