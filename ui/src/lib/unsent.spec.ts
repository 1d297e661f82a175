import { describe, expect, it } from 'vitest';
import type { StepAttempt } from '../api/types';
import { unsent } from './unsent';

const AT = '2026-12-01T12:00:00.000Z';
const LATER = '2026-12-01T12:00:30.000Z';
const TIMEOUT_AFTER_LATER = '2026-12-01T12:01:30.000Z';

/** An attempt's record as the API gives it (its end included, which unsent does not go by). */
const record = (status: StepAttempt['status'], dispatchedAt: string, deadlineAt: string, completedAt: string | null = AT):
  Pick<StepAttempt, 'status' | 'dispatchedAt' | 'deadlineAt' | 'completedAt'> => ({ status, dispatchedAt, deadlineAt, completedAt });

describe('unsent', () => {
  it('reads a voided attempt with no deadline beyond its start as owed: it waited its turn, it was never due then', () => {
    expect(unsent(record('VOIDED', AT, AT)))
      .toEqual({ kind: 'owed', when: 'owed from', end: 'never sent: waited its turn, to go out as a later attempt' });
  });

  it('reads a voided retry that keeps its timeout as one that was due then', () => {
    expect(unsent(record('VOIDED', LATER, TIMEOUT_AFTER_LATER))).toEqual({ kind: 'voided', when: 'was due', end: 'never sent' });
  });

  it('tells owed from voided whatever the clocks: a retry voided after the due time it records (an engine clock ahead) is still voided', () => {
    // Its due time (dispatchedAt) before its void (completedAt): comparing the two read it as owed.
    expect(unsent(record('VOIDED', AT, TIMEOUT_AFTER_LATER, LATER))?.kind).toBe('voided');
  });

  it('compares instants, not how they are written', () => {
    expect(unsent(record('VOIDED', '2026-12-01T13:00:00+01:00', AT))?.kind).toBe('owed');
  });

  it('reads a retry completed by a late reply, its command withdrawn, as never sent, whatever the reply said', () => {
    for (const status of ['SUCCEEDED', 'FAILED', 'FAILED_FINAL'] as const) {
      expect(unsent(record(status, AT, AT)))
        .toEqual({ kind: 'withdrawn', when: 'withdrawn at', end: 'never sent: the late reply to the attempt before it completed it' });
    }
  });

  it('leaves alone an attempt that was sent (its deadline beyond its dispatch), or skipped', () => {
    for (const status of ['SUCCEEDED', 'FAILED', 'FAILED_FINAL', 'TIMED_OUT', 'ABANDONED'] as const) {
      expect(unsent(record(status, AT, TIMEOUT_AFTER_LATER, LATER))).toBeNull();
    }
    expect(unsent(record('DISPATCHED', AT, TIMEOUT_AFTER_LATER, null))).toBeNull();
    expect(unsent(record('SKIPPED', AT, AT))).toBeNull();
  });
});
