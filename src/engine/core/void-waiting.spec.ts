import type { Attempt } from './plan';
import { attemptsToVoid, VOID_MARGIN_MS, withVoided } from './void-waiting';

const NOW = Date.parse('2026-12-04T00:00:00Z');
const attempt = (action: 'DO' | 'UNDO', dueInMs: number | null, status: Attempt['status'] = 'DISPATCHED'): Attempt =>
  ({ stepName: 'charge', action, attempt: 2, status, dueAt: dueInMs === null ? null : NOW + dueInMs });

describe('attemptsToVoid', () => {
  const doLater = attempt('DO', 30_000);
  const undoLater = attempt('UNDO', 30_000);

  it('voids what the run no longer sends, and only that', () => {
    expect(attemptsToVoid('RUNNING', [doLater, undoLater], NOW)).toEqual([undoLater]);
    expect(attemptsToVoid('WAITING_FOR_WORKERS', [doLater], NOW)).toEqual([]);
    expect(attemptsToVoid('PAUSED', [doLater, undoLater], NOW)).toEqual([doLater, undoLater]);
    expect(attemptsToVoid('COMPENSATING', [doLater, undoLater], NOW)).toEqual([doLater]);
    expect(attemptsToVoid('UNDOING', [doLater, undoLater], NOW)).toEqual([doLater]);
    expect(attemptsToVoid('TERMINATED', [doLater, undoLater], NOW)).toEqual([doLater, undoLater]);
  });

  it('leaves what is sent already, due, or due within the margin', () => {
    const sent = attempt('DO', null);
    const due = attempt('DO', -1);
    const close = attempt('DO', VOID_MARGIN_MS);
    const over = attempt('DO', 30_000, 'FAILED');
    expect(attemptsToVoid('PAUSED', [sent, due, close, over], NOW)).toEqual([]);
    expect(attemptsToVoid('PAUSED', [attempt('DO', VOID_MARGIN_MS + 1)], NOW)).toHaveLength(1);
  });
});

describe('withVoided', () => {
  it('marks copies of the voided attempts, and keeps the others as they are', () => {
    const a = attempt('DO', 30_000);
    const b = attempt('UNDO', null, 'SUCCEEDED');
    const out = withVoided([a, b], [a]);
    expect(out[0]).toEqual({ ...a, status: 'VOIDED', dueAt: null });
    expect(out[1]).toBe(b);
    expect(a.status).toBe('DISPATCHED');
    expect(withVoided([a], [])).toEqual([a]);
  });
});
