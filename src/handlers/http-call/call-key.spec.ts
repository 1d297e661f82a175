import type { JobOptions } from '../job-execution.entity';
import { callKeyOf, EarlierCall, firstCallKey } from './call-key';

const step = { flowId: 'f', stepName: 'pay', action: 'DO' as const };
const http = { timeoutMs: 1000, outputHeaders: [] };
const earlier = (attempt: number, status: EarlierCall['status'], options: JobOptions | null = { http }, launchAttempts = 1): EarlierCall =>
  ({ ...step, attempt, status, options, launchAttempts });
const keyed = (key: string): JobOptions => ({ http: { ...http, idempotencyKey: key } });

describe('the Idempotency-Key of an http call', () => {
  it('is the step\'s on a first attempt, and the one fixed on the row once launched', () => {
    expect(firstCallKey({ ...step, attempt: 1, options: { http } }, [])).toBe('f:pay:DO');
    expect(callKeyOf({ ...step, options: keyed('f:pay:DO:b3') })).toBe('f:pay:DO:b3');
    // A row launched before keys were fixed on it sent the step's.
    expect(callKeyOf({ ...step, options: { http } })).toBe('f:pay:DO');
  });

  /**
   * The partner answered 400 (or the retries ran out on 429s); an operator's retry sent the same key,
   * and a partner that stores results per key (Stripe) answered the stored 400 again, for ever.
   */
  it('is new for an operator\'s retry after an attempt that failed for sure', () => {
    expect(firstCallKey({ ...step, attempt: 2, options: { http } }, [earlier(1, 'FAILED')])).toBe('f:pay:DO:b2');
    expect(firstCallKey({ ...step, action: 'UNDO', attempt: 3, options: { http } },
      [{ ...earlier(2, 'FAILED'), action: 'UNDO' }, { ...earlier(1, 'FAILED'), action: 'UNDO' }])).toBe('f:pay:UNDO:b3');
  });

  it('stays after an attempt whose outcome is unknown: a partner that did the work answers with it', () => {
    for (const options of [{ http, unansweredLaunch: true }, { http, endUnseen: true }, { http, unansweredLaunch: true, endUnseen: true }]) {
      expect(firstCallKey({ ...step, attempt: 2, options: { http } }, [earlier(1, 'FAILED', options)])).toBe('f:pay:DO');
    }
    // Unknown after a retry that had a key of its own: that key stays.
    expect(firstCallKey({ ...step, attempt: 4, options: { http } },
      [earlier(1, 'FAILED'), earlier(2, 'FAILED', { ...keyed('f:pay:DO:b2'), unansweredLaunch: true })])).toBe('f:pay:DO:b2');
    // Not ended (a timed-out attempt whose call goes on), or succeeded: the same work, the same key.
    expect(firstCallKey({ ...step, attempt: 2, options: { http } }, [earlier(1, 'RUNNING')])).toBe('f:pay:DO');
    expect(firstCallKey({ ...step, attempt: 5, options: { http } }, [earlier(3, 'SUCCEEDED', keyed('f:pay:DO:b3'))])).toBe('f:pay:DO:b3');
  });

  it('follows the latest earlier attempt that made a call, not one that never did', () => {
    const unknown = earlier(1, 'FAILED', { http, unansweredLaunch: true });
    const neverLaunched = earlier(2, 'FAILED', null, 0);
    expect(firstCallKey({ ...step, attempt: 3, options: { http } }, [neverLaunched, unknown])).toBe('f:pay:DO');
    expect(firstCallKey({ ...step, attempt: 3, options: { http } }, [earlier(1, 'FAILED'), neverLaunched])).toBe('f:pay:DO:b3');
    // A later attempt's row (listed by mistake) is no predecessor.
    expect(firstCallKey({ ...step, attempt: 2, options: { http } }, [earlier(3, 'FAILED')])).toBe('f:pay:DO');
  });
});
