import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-log';

describe('kafkaLogCreator', () => {
  function setup() {
    const sink = jest.fn();
    let now = 0;
    const log = kafkaLogCreator(sink, () => now)(logLevel.WARN);
    const entry = (message: string, level = logLevel.ERROR, extra: Record<string, unknown> = {}) =>
      log({ namespace: 'Connection', level, label: 'ERROR', log: { timestamp: 't', message, broker: 'b:9092', ...extra } });
    return { sink, entry, advance: (ms: number) => (now += ms) };
  }

  it('passes a repeated line once per window, with its details and without kafkajs\'s own fields', () => {
    const { sink, entry, advance } = setup();
    entry('Connection error: ECONNREFUSED', logLevel.ERROR, { logger: 'kafkajs', stack: 'Error: …' });
    entry('Connection error: ECONNREFUSED');
    entry('Restarting the consumer in 745ms');
    entry('Restarting the consumer in 792.5ms');
    advance(30_000);
    entry('Connection error: ECONNREFUSED');
    expect(sink).toHaveBeenCalledTimes(3);
    expect(sink).toHaveBeenNthCalledWith(1, 'error', '[Connection] Connection error: ECONNREFUSED', { broker: 'b:9092' });
  });

  it('drops the expected idempotent-producer warning and passes other warnings as warnings', () => {
    const { sink, entry } = setup();
    entry('Limiting retries for the idempotent producer may invalidate EoS guarantees', logLevel.WARN);
    entry('The group is rebalancing, re-joining', logLevel.WARN);
    expect(sink.mock.calls).toEqual([['warn', '[Connection] The group is rebalancing, re-joining', { broker: 'b:9092' }]]);
  });

  it('logs a coordinator\'s retriable answers (a rebalance, a coordinator loading) as warnings, and other answers\' errors as errors', () => {
    const { sink, entry } = setup();
    // As kafkajs 2.2.4's connection logs them on a consumer's start or a rebalance (from an operator's run).
    entry('Response Heartbeat(key: 12, version: 3)', logLevel.ERROR, { error: 'The group is rebalancing, so a rejoin is needed' });
    entry('Response InitProducerId(key: 22, version: 1)', logLevel.ERROR, { error: 'The coordinator is loading and hence can\'t process requests' });
    entry('Response Produce(key: 0, version: 7)', logLevel.ERROR, { error: 'The broker received an out of order sequence number' });
    expect(sink.mock.calls.map(([level]) => level)).toEqual(['warn', 'warn', 'error']);
  });

  it('drops the error kafkajs logs for a CreateTopics answer, and keeps other connection errors', () => {
    const { sink, entry } = setup();
    // As kafkajs 2.2.4's connection logs it (from CI output, a start against existing topics).
    const answer = (message: string) => entry(message, logLevel.ERROR, { clientId: 'baton', error: 'Topic creation errors', correlationId: 3, size: 60 });
    answer('Response CreateTopics(key: 19, version: 3)');
    expect(sink).not.toHaveBeenCalled();
    answer('Response Produce(key: 0, version: 7)');
    expect(sink).toHaveBeenCalledTimes(1);
  });
});
