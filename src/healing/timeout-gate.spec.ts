import type { ConsumerState } from '../messaging/message-consumer';
import { REPLY_CATCH_UP, TimeoutGate } from './timeout-gate';

describe('TimeoutGate', () => {
  let now = 0;
  const at = (ms: number) => { now = ms; };
  const reply: ConsumerState = { topic: 'replies', group: 'engine', state: 'running', backlog: { kind: 'applied' } };
  const gate = () => new TimeoutGate(() => [reply], REPLY_CATCH_UP, () => new Date(now));
  afterEach(() => { reply.waitingSince = undefined; });

  it('opens once the reply consumers have run settleMs, and stays open', () => {
    const g = gate();
    at(0);
    expect(g.open()).toBe(false);
    at(REPLY_CATCH_UP.settleMs);
    expect(g.open()).toBe(true);
    at(600_000);
    expect(g.open()).toBe(true);
  });

  it('closes while a consumer holds a reply in its outage retry, seen by a sample alone, until settleMs after it applied it', () => {
    const g = gate();
    at(0);
    g.observe();
    at(60_000);
    expect(g.open()).toBe(true);
    // A database outage no healer pass met: only the sampling sees the consumer holding a reply.
    reply.waitingSince = new Date(60_100);
    at(60_250);
    g.observe();
    reply.waitingSince = undefined; // the database is back and the reply applied
    at(60_500);
    expect(g.open()).toBe(false);
    at(60_500 + REPLY_CATCH_UP.settleMs - 1);
    expect(g.open()).toBe(false);
    at(60_500 + REPLY_CATCH_UP.settleMs);
    expect(g.open()).toBe(true);
  });
});
