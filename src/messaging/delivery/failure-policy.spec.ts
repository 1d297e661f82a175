import { PoisonMessageError } from '../message';
import { decideAfterFailure, errorMessage, redeliveryDelayMs } from './failure-policy';

describe('decideAfterFailure', () => {
  it('redelivers until the last allowed delivery failed', () => {
    expect(decideAfterFailure(new Error('db down'), 1, 3)).toEqual({ action: 'redeliver', delayMs: 10 });
    expect(decideAfterFailure(new Error('db down'), 2, 3)).toEqual({ action: 'redeliver', delayMs: 20 });
    expect(decideAfterFailure(new Error('db down'), 3, 3)).toEqual({ action: 'dead-letter', reason: 'db down' });
  });

  it('dead-letters a poison message at once', () => {
    expect(decideAfterFailure(new PoisonMessageError('not JSON'), 1, 5)).toEqual({ action: 'dead-letter', reason: 'not JSON' });
  });

  it('caps the pause between deliveries at a second', () => {
    expect(redeliveryDelayMs(20)).toBe(1000);
  });

  it('turns anything thrown into a bounded reason', () => {
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(new Error('x'.repeat(5000)))).toHaveLength(1001);
  });
});
