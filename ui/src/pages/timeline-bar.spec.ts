import type { VNode } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { StepAttempt } from '../api/types';
import { AttemptBar } from './timeline-bar';

vi.mock('../lib/text-width', () => ({ textWidth: vi.fn(() => 12) }));

const AT = '2026-12-01T12:00:00.000Z';
const LATER = '2026-12-01T12:00:30.000Z';
const attempt = (over: Partial<StepAttempt>): StepAttempt => ({
  stepName: 'reserve', seq: 1, action: 'UNDO', attempt: 2, commandId: 'c2', budgetStart: 2, status: 'VOIDED', handlerType: 'worker',
  target: null, output: null, error: null, dispatchedAt: AT, deadlineAt: AT, completedAt: AT, lastHeartbeatAt: null, ...over,
});

/** The bar's tooltip (AttemptBar has no hooks, so its tree is read as it is). */
const titleOf = (a: StepAttempt) => (AttemptBar({ bar: { attempt: a, left: 10, width: 0, row: 0, open: false, heartbeat: null }, ticks: [], trackPx: 800, font: '10px sans-serif' }) as
  VNode<{ title: string }>).props.title.split('\n');

describe('AttemptBar tooltip', () => {
  it('says an owed undo retry was owed from then and waited its turn: it was never due then', () => {
    const [, sent, end] = titleOf(attempt({}));
    expect(sent).toMatch(/^owed from .* \(2026-12-01 12:00:00 UTC\)$/);
    expect(end).toBe('never sent: waited its turn, to go out as a later attempt');
  });

  it('keeps "was due" for a retry voided before the due time it records', () => {
    const [, sent, end] = titleOf(attempt({ dispatchedAt: LATER, deadlineAt: '2026-12-01T12:01:30.000Z' }));
    expect(sent).toMatch(/^was due .* \(2026-12-01 12:00:30 UTC\)$/);
    expect(end).toBe('never sent');
  });

  it('says a retry completed by a late reply was withdrawn then, never sent, not completed after 0 ms', () => {
    const [head, sent, end] = titleOf(attempt({ action: 'DO', status: 'FAILED', error: 'quota exceeded' }));
    expect(head).toBe('DO reserve attempt 2: FAILED');
    expect(sent).toMatch(/^withdrawn at .* \(2026-12-01 12:00:00 UTC\)$/);
    expect(end).toBe('never sent: the late reply to the attempt before it completed it');
  });
});
