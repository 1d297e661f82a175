import { PoisonMessageError } from '../message';
import { decideAfterFailure, outageDelayMs, redeliveryDelayMs } from './failure-policy';

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

describe('decideAfterFailure', () => {
  it('redelivers until the last allowed delivery failed', () => {
    expect(decideAfterFailure(new Error('bad state'), 1, 3)).toEqual({ action: 'redeliver', delayMs: 10 });
    expect(decideAfterFailure(new Error('bad state'), 2, 3)).toEqual({ action: 'redeliver', delayMs: 20 });
    expect(decideAfterFailure(new Error('bad state'), 3, 3)).toEqual({ action: 'dead-letter', reason: 'bad state' });
  });

  it('dead-letters rather than redeliver forever when the attempt is no count', () => {
    for (const attempt of [NaN, 0, -1_000_000_000, 1.5]) {
      expect(decideAfterFailure(new Error('bad state'), attempt, 5)).toEqual({ action: 'dead-letter', reason: 'bad state' });
    }
  });

  it('dead-letters a poison message at once', () => {
    expect(decideAfterFailure(new PoisonMessageError('not JSON'), 1, 5)).toEqual({ action: 'dead-letter', reason: 'not JSON' });
  });

  it('waits for an unreachable database however often it failed, never dead-lettering', () => {
    expect(decideAfterFailure(refused(), 1, 3)).toEqual({ action: 'wait-for-dependency', delayMs: 100 });
    expect(decideAfterFailure(refused(), 3, 3, 50)).toEqual({ action: 'wait-for-dependency', delayMs: 5000 });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(decideAfterFailure({ driverError: shutdown }, 3, 3).action).toBe('wait-for-dependency');
  });

  it('backs off from 100 ms to at most 5 s during an outage', () => {
    expect([0, 1, 2, 5, 6, 1000].map(outageDelayMs)).toEqual([100, 200, 400, 3200, 5000, 5000]);
  });

  it('caps the pause between deliveries at a second', () => {
    expect(redeliveryDelayMs(20)).toBe(1000);
  });
});
