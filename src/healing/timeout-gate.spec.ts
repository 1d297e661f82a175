import type { ConsumerState } from '../messaging/message-consumer';
import { REPLY_CATCH_UP, TimeoutGate } from './timeout-gate';

describe('TimeoutGate', () => {
  let now = 0;
  const at = (ms: number) => { now = ms; };
  const consumers: ConsumerState[] = [{ topic: 'replies', group: 'engine', state: 'running', backlog: { kind: 'applied' } }];
  const gate = () => new TimeoutGate(() => consumers, REPLY_CATCH_UP, () => new Date(now));

  it('waits longer than the consumers\' longest outage retry delay (5 s) once the database answers again', () => {
    expect(REPLY_CATCH_UP.outageSettleMs).toBeGreaterThan(5_000);
  });

  it('opens once the reply consumers have run settleMs, and stays open without an outage', () => {
    const g = gate();
    at(0);
    expect(g.open()).toBe(false);
    at(REPLY_CATCH_UP.settleMs);
    expect(g.open()).toBe(true);
  });

  it('closes after a pass met a database outage, the consumers running all along, until outageSettleMs after a pass found it back', () => {
    const g = gate();
    at(0);
    g.observe();
    at(60_000);
    expect(g.open()).toBe(true);
    g.databaseFailed();
    // The next pass reads the database again: the settle starts then, however long the consumers have run.
    at(90_000);
    expect(g.open()).toBe(false);
    at(90_000 + REPLY_CATCH_UP.outageSettleMs - 1);
    expect(g.open()).toBe(false);
    at(90_000 + REPLY_CATCH_UP.outageSettleMs);
    expect(g.open()).toBe(true);
  });
});
