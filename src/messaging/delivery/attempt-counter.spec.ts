import { AttemptCounter } from './attempt-counter';
import { DeliveryFailures } from './delivery-failures';

/** The database table as a map: what survives a restart of the engine. */
class StoredFailures extends DeliveryFailures {
  readonly rows = new Map<string, number>();
  failing = false;

  async record(key: string): Promise<number> {
    if (this.failing) throw new Error('connect ECONNREFUSED');
    this.rows.set(key, (this.rows.get(key) ?? 0) + 1);
    return this.rows.get(key)!;
  }

  async forget(key: string): Promise<void> {
    this.rows.delete(key);
  }
}

describe('AttemptCounter', () => {
  it('counts failures per id until forgotten', async () => {
    const counter = new AttemptCounter();
    expect(counter.nextAttempt('t:0:5')).toBe(1);
    await counter.recordFailure('t:0:5');
    expect(await counter.recordFailure('t:0:5')).toBe(2);
    expect(counter.nextAttempt('t:0:5')).toBe(3);
    expect(counter.nextAttempt('t:0:6')).toBe(1);
    await counter.forget('t:0:5');
    expect(counter.nextAttempt('t:0:5')).toBe(1);
  });

  it('evicts the least recently failed id beyond its capacity', async () => {
    const counter = new AttemptCounter(undefined, undefined, 2);
    await counter.recordFailure('a');
    await counter.recordFailure('b');
    await counter.recordFailure('a'); // a is now the most recent
    await counter.recordFailure('c');
    expect(counter.nextAttempt('b')).toBe(1);
    expect(counter.nextAttempt('a')).toBe(3);
    expect(counter.nextAttempt('c')).toBe(2);
  });

  it('keeps counting across a restart through the durable store, and removes the count once acknowledged', async () => {
    const store = new StoredFailures();
    const killed = new AttemptCounter(store);
    await killed.recordFailure('g/t:0:5');
    await killed.recordFailure('g/t:0:5');
    const restarted = new AttemptCounter(store);
    expect(restarted.nextAttempt('g/t:0:5')).toBe(1); // only the store knows
    expect(await restarted.recordFailure('g/t:0:5')).toBe(3);
    expect(restarted.nextAttempt('g/t:0:5')).toBe(4);
    await restarted.forget('g/t:0:5');
    expect(store.rows.size).toBe(0);
  });

  it('counts in memory when the store is unavailable, and says so', async () => {
    const store = new StoredFailures();
    store.failing = true;
    const errors: unknown[] = [];
    const counter = new AttemptCounter(store, (e) => errors.push(e));
    expect(await counter.recordFailure('x')).toBe(1);
    expect(await counter.recordFailure('x')).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
