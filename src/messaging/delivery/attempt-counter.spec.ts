import { AttemptCounter } from './attempt-counter';

describe('AttemptCounter', () => {
  it('counts failures per id until forgotten', () => {
    const counter = new AttemptCounter();
    expect(counter.nextAttempt('t:0:5')).toBe(1);
    counter.recordFailure('t:0:5');
    counter.recordFailure('t:0:5');
    expect(counter.nextAttempt('t:0:5')).toBe(3);
    expect(counter.nextAttempt('t:0:6')).toBe(1);
    counter.forget('t:0:5');
    expect(counter.nextAttempt('t:0:5')).toBe(1);
  });

  it('evicts the least recently failed id beyond its capacity', () => {
    const counter = new AttemptCounter(2);
    counter.recordFailure('a');
    counter.recordFailure('b');
    counter.recordFailure('a'); // a is now the most recent
    counter.recordFailure('c');
    expect(counter.nextAttempt('b')).toBe(1);
    expect(counter.nextAttempt('a')).toBe(3);
    expect(counter.nextAttempt('c')).toBe(2);
  });
});
