import { describe, expect, it } from 'vitest';
import type { StepAttempt } from '../api/types';
import { attemptColumns } from './run-detail';
import { textOf } from '../test-support/text-of';

const AT = '2026-12-01T12:00:00.000Z';
const LATER = '2026-12-01T12:00:30.000Z';
/** A retry's deadline: its timeout after its due time (LATER). */
const LATER_DEADLINE = '2026-12-01T12:01:30.000Z';
const attempt = (over: Partial<StepAttempt>): StepAttempt => ({
  stepName: 'reserve', seq: 1, action: 'UNDO', attempt: 2, commandId: 'c2', budgetStart: 2, status: 'VOIDED', handlerType: 'worker',
  target: null, output: null, error: null, dispatchedAt: AT, deadlineAt: AT, completedAt: AT, lastHeartbeatAt: null, ...over,
});


/** The Dispatched and Took cells of an attempt's row. */
function cells(a: StepAttempt): { dispatched: string; took: string } {
  const columns = attemptColumns(0, [a]);
  const cell = (head: string) => textOf(columns.find((c) => c.head.startsWith(head))!.cell(a, 0));
  return { dispatched: cell('Dispatched'), took: cell('Took') };
}

describe('attempts table', () => {
  it('shows an owed undo retry as owed from when it was asked for, not as due then, and not as run for 0 ms', () => {
    const { dispatched, took } = cells(attempt({}));
    expect(dispatched).toMatch(/^owed from \S/);
    expect(took).toBe('never sent: waited its turn, to go out as a later attempt');
  });

  it('keeps "was due" for a retry voided before the due time it records', () => {
    const { dispatched, took } = cells(attempt({ dispatchedAt: LATER, deadlineAt: LATER_DEADLINE }));
    expect(dispatched).toMatch(/^was due \S/);
    expect(took).toBe('never sent');
  });

  it('keeps "was due" for a retry voided after the due time it records (an engine clock ahead of the database\'s): it is not owed', () => {
    const { dispatched, took } = cells(attempt({ dispatchedAt: AT, deadlineAt: LATER_DEADLINE, completedAt: LATER }));
    expect(dispatched).toMatch(/^was due \S/);
    expect(took).toBe('never sent');
  });

  it('shows a retry completed by a late reply, its command withdrawn, as never sent, not as dispatched and done in 0 ms', () => {
    const { dispatched, took } = cells(attempt({ action: 'DO', status: 'SUCCEEDED', output: { id: 1 } }));
    expect(dispatched).toMatch(/^withdrawn at \S/);
    expect(took).toBe('never sent: the late reply to the attempt before it completed it');
  });

  it('times an attempt that was sent from its dispatch', () => {
    const { dispatched, took } = cells(attempt({ status: 'SUCCEEDED', deadlineAt: LATER, completedAt: '2026-12-01T12:00:01.500Z' }));
    expect(dispatched).not.toMatch(/due|owed/);
    expect(took).toBe('1.5 s');
  });
});
