import { Logger } from '@nestjs/common';
import { KafkaJSProtocolError } from 'kafkajs';
import { Metrics } from '../../metrics/metrics';
import { IncomingMessage, OutgoingMessage, PoisonMessageError } from '../message';
import { deliverInPlace, InPlaceDeliveryOptions } from './deliver-in-place';
import { DependencyWaits } from './dependency-waits';

const message: IncomingMessage = { id: 'm1', topic: 't', key: 'k', headers: {}, body: Buffer.from('x'), deliveryAttempt: 1 };

function options(overrides: Partial<InPlaceDeliveryOptions> = {}) {
  const letters: OutgoingMessage[] = [];
  const opts: InPlaceDeliveryOptions = {
    maxDeliveries: 3,
    metrics: new Metrics(),
    logger: new Logger('test'),
    deadLetter: async (letter) => {
      letters.push(letter);
    },
    stopping: () => false,
    ...overrides,
  };
  return { opts, letters };
}

describe('deliverInPlace', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('acknowledges after the handler resolved', async () => {
    const { opts } = options();
    await expect(deliverInPlace(message, async () => undefined, opts)).resolves.toEqual({ acked: true });
  });

  it('runs the handler again with the next attempt number, then succeeds', async () => {
    const { opts } = options();
    const attempts: number[] = [];
    const failures: number[] = [];
    const outcome = await deliverInPlace(message, async (m) => {
      attempts.push(m.deliveryAttempt);
      if (m.deliveryAttempt < 2) throw new Error('transient');
    }, { ...opts, onFailure: async (m) => failures.push(m.deliveryAttempt) && m.deliveryAttempt });
    expect(outcome).toEqual({ acked: true });
    expect(attempts).toEqual([1, 2]);
    expect(failures).toEqual([1]);
  });

  it('dead-letters after the last allowed attempt', async () => {
    const { opts, letters } = options();
    const outcome = await deliverInPlace(message, async () => {
      throw new Error('always');
    }, opts);
    expect(outcome).toEqual({ acked: true });
    expect(letters).toHaveLength(1);
    expect(letters[0].headers).toMatchObject({ 'x-dead-letter-reason': 'always', 'x-delivery-attempts': '3' });
  });

  it('counts the failures of earlier processes that the store reports: a restart does not reset the count', async () => {
    const { opts, letters } = options();
    const attempts: number[] = [];
    // Two deliveries failed in an engine that was then killed; this one is the third in all.
    const outcome = await deliverInPlace(message, async (m) => {
      attempts.push(m.deliveryAttempt);
      throw new Error('always');
    }, { ...opts, onFailure: async (m) => m.deliveryAttempt + 2 });
    expect(outcome).toEqual({ acked: true });
    expect(attempts).toEqual([1]);
    expect(letters[0].headers).toMatchObject({ 'x-delivery-attempts': '3' });
  });

  it('dead-letters a poison message without retrying', async () => {
    const { opts, letters } = options();
    let calls = 0;
    await deliverInPlace(message, async () => {
      calls++;
      throw new PoisonMessageError('bad');
    }, opts);
    expect(calls).toBe(1);
    expect(letters[0].headers?.['x-delivery-attempts']).toBe('1');
  });

  it('logs the dead letter with a whole API key or JWT in its reason cut', async () => {
    const key = `bk_abcd1234_${'s'.repeat(40)}`;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await deliverInPlace(message, async () => {
      throw new PoisonMessageError(`no signing secret for service ${key} or ${jwt}`);
    }, options({ logger }).opts);
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('no signing secret for service bk_abcd1234_… or eyJ…');
    expect(logged).not.toContain('s'.repeat(40));
    expect(logged).not.toContain('c2lnbmF0dXJl');
  });

  it('leaves the message unacknowledged when the consumer stops between attempts', async () => {
    let stopping = false;
    const { opts } = options({ stopping: () => stopping });
    const outcome = await deliverInPlace(message, async () => {
      stopping = true;
      throw new Error('transient');
    }, opts);
    expect(outcome).toEqual({ acked: false, nextAttempt: 2 });
  });

  it('keeps trying to dead-letter while the broker refuses, until stopped', async () => {
    let stopping = false;
    const { opts } = options({
      stopping: () => stopping,
      deadLetter: async () => {
        stopping = true;
        throw new Error('broker down');
      },
    });
    const outcome = await deliverInPlace(message, async () => {
      throw new PoisonMessageError('bad');
    }, opts);
    expect(outcome).toEqual({ acked: false, nextAttempt: 2 });
  });
});

describe('deliverInPlace during an outage', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('retries the same attempt while the database is unreachable, then applies it: nothing dead-lettered', async () => {
    const { opts, letters } = options({ maxDeliveries: 2 });
    const failures: number[] = [];
    const attempts: number[] = [];
    const outcome = await deliverInPlace(message, async (m) => {
      attempts.push(m.deliveryAttempt);
      if (attempts.length <= 4) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    }, { ...opts, onFailure: async (m) => failures.push(m.deliveryAttempt) && m.deliveryAttempt });
    expect(outcome).toEqual({ acked: true });
    expect(attempts).toEqual([1, 1, 1, 1, 1]);
    expect(failures).toEqual([]);
    expect(letters).toHaveLength(0);
  });

  it('hands the message back uncounted when the consumer stops during an outage', async () => {
    let stopping = false;
    const { opts } = options({ stopping: () => stopping });
    const outcome = await deliverInPlace({ ...message, deliveryAttempt: 2 }, async () => {
      stopping = true;
      throw Object.assign(new Error('Connection terminated unexpectedly'), {});
    }, opts);
    expect(outcome).toEqual({ acked: false, nextAttempt: 2 });
  });

  it('says the message waits from its first outage retry until it is handled: the reply is held, not applied', async () => {
    const waits = new DependencyWaits();
    const seen: Array<Date | undefined> = [];
    let tries = 0;
    const { opts } = options({ waits });
    const outcome = await deliverInPlace(message, async () => {
      seen.push(waits.since);
      if (++tries <= 2) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    }, opts);
    expect(outcome).toEqual({ acked: true });
    expect(seen[0]).toBeUndefined(); // not before the first failure
    expect(seen[1]).toBeInstanceOf(Date);
    expect(seen[2]).toBe(seen[1]); // since its first retry, not its latest
    expect(waits.since).toBeUndefined();
  });

  it('ends the wait when it fails otherwise after the outage, and when the consumer stops during it', async () => {
    const waits = new DependencyWaits();
    const seen: Array<Date | undefined> = [];
    const errors = [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), new Error('a defect')];
    const { opts } = options({ waits });
    await deliverInPlace(message, async () => {
      seen.push(waits.since);
      const error = errors.shift();
      if (error) throw error;
    }, opts);
    expect(seen.map((s) => s instanceof Date)).toEqual([false, true, false]);

    let stopping = false;
    const stopped = await deliverInPlace(message, async () => {
      stopping = true;
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    }, { ...opts, stopping: () => stopping });
    expect(stopped).toEqual({ acked: false, nextAttempt: 1 });
    expect(waits.since).toBeUndefined();
  });
});

describe('deliverInPlace: a dead letter the broker refuses', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const tooLarge = () => new KafkaJSProtocolError(Object.assign(new Error('MESSAGE_TOO_LARGE'), { type: 'MESSAGE_TOO_LARGE', retriable: false, code: 10 }));

  it('sends it cut when the broker refuses it whole, and acknowledges', async () => {
    const letters: OutgoingMessage[] = [];
    const { opts } = options({
      deadLetter: async (letter) => {
        if (letter.body.length > 100_000) throw tooLarge();
        letters.push(letter);
      },
    });
    const outcome = await deliverInPlace({ ...message, body: Buffer.alloc(999_000) }, async () => {
      throw new PoisonMessageError('bad');
    }, opts);
    expect(outcome).toEqual({ acked: true });
    expect(letters).toHaveLength(1);
    expect(letters[0].headers).toMatchObject({ 'x-dead-letter-body-cut': '65536 of 999000 bytes' });
  });

  it('acknowledges, counted as lost, one the broker refuses even cut, instead of holding its partition for ever', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const { opts } = options({ deadLetter: async () => { throw tooLarge(); } });
      const outcome = deliverInPlace({ ...message, body: Buffer.alloc(999_000) }, async () => {
        throw new PoisonMessageError('bad');
      }, opts);
      await jest.advanceTimersByTimeAsync(5_000);
      await expect(outcome).resolves.toEqual({ acked: true });
      expect(await opts.metrics.registry.getSingleMetricAsString('baton_dead_letters_lost_total')).toContain('topic="t"} 1');
    } finally {
      jest.useRealTimers();
    }
  });
});
