import type { LoggerService } from '@nestjs/common';
import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

  const setUp = () => {
    const lines: Array<[string, unknown]> = [];
    const logger = {
      log: (m: unknown) => lines.push(['log', m]),
      warn: (m: unknown) => lines.push(['warn', m]),
      error: (m: unknown, text: unknown) => lines.push(['error', text]),
    } as unknown as LoggerService;
    const clock = { now: 1_000_000 };
    return { lines, clock, outage: new OutageLog(logger, 'The outbox pass', () => clock.now) };
  };

  it('logs an outage once when it starts, a reminder a minute while it lasts, and once when the work resumes', () => {
    const { lines, clock, outage } = setUp();
    outage.succeeded();
    for (let pass = 0; pass < 150; pass++) {
      outage.failed(refused);
      clock.now += 1000;
    }
    outage.succeeded();
    outage.succeeded();
    expect(lines).toEqual([
      ['warn', 'The outbox pass failed: connect ECONNREFUSED 127.0.0.1:5432; retrying until the dependency is back'],
      ['warn', 'The outbox pass still fails after 60.0 s (61 tries): connect ECONNREFUSED 127.0.0.1:5432'],
      ['warn', 'The outbox pass still fails after 120.0 s (121 tries): connect ECONNREFUSED 127.0.0.1:5432'],
      ['log', 'The outbox pass works again after 150.0 s (150 tries failed)'],
    ]);
  });

  it('starts afresh after a recovery: the next outage is announced again', () => {
    const { lines, clock, outage } = setUp();
    outage.failed(refused);
    clock.now += 2000;
    outage.succeeded();
    outage.failed(refused);
    expect(lines).toEqual([
      ['warn', expect.stringMatching(/^The outbox pass failed: connect ECONNREFUSED/)],
      ['log', 'The outbox pass works again after 2.0 s (1 try failed)'],
      ['warn', expect.stringMatching(/^The outbox pass failed: connect ECONNREFUSED/)],
    ]);
  });

  it('logs a failure that is no outage as an error every time, and it does not count as one', () => {
    const { lines, outage } = setUp();
    outage.failed(new TypeError('cannot read properties of undefined'));
    outage.failed(new TypeError('cannot read properties of undefined'));
    outage.succeeded();
    expect(lines).toEqual([['error', 'The outbox pass failed'], ['error', 'The outbox pass failed']]);
  });

  it('takes a failure it is told is an outage as one, whatever its error', () => {
    const { lines, outage } = setUp();
    outage.unavailable('Unauthorized (401)');
    outage.unavailable('Unauthorized (401)');
    outage.succeeded();
    expect(lines).toEqual([
      ['warn', 'The outbox pass failed: Unauthorized (401); retrying until the dependency is back'],
      ['log', 'The outbox pass works again after 0.0 s (2 tries failed)'],
    ]);
  });
});
