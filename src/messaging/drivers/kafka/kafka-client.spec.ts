import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-client';

describe('kafkaLogCreator', () => {
  function setup() {
    const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
    let now = 0;
    const log = kafkaLogCreator(logger, () => now)(logLevel.WARN);
    const entry = (message: string, level = logLevel.ERROR) =>
      log({ namespace: 'Connection', level, label: 'ERROR', log: { timestamp: 't', message, broker: 'b:9092' } });
    return { logger, entry, advance: (ms: number) => (now += ms) };
  }

  it('logs a repeated line once per window, with its details', () => {
    const { logger, entry, advance } = setup();
    entry('Connection error: ECONNREFUSED');
    entry('Connection error: ECONNREFUSED');
    entry('Restarting the consumer in 745ms');
    entry('Restarting the consumer in 792.5ms');
    advance(30_000);
    entry('Connection error: ECONNREFUSED');
    expect(logger.error).toHaveBeenCalledTimes(3);
    expect(logger.error).toHaveBeenCalledWith('[Connection] Connection error: ECONNREFUSED broker=b:9092');
  });

  it('drops the expected idempotent-producer warning and logs other warnings as warnings', () => {
    const { logger, entry } = setup();
    entry('Limiting retries for the idempotent producer may invalidate EoS guarantees', logLevel.WARN);
    entry('The group is rebalancing, re-joining', logLevel.WARN);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('drops the error kafkajs logs for a CreateTopics answer, and keeps other connection errors', () => {
    const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
    const log = kafkaLogCreator(logger)(logLevel.WARN);
    // As kafkajs 2.2.4's connection logs it (from CI output, a start against existing topics).
    const answer = (message: string) => log({
      namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR',
      log: { timestamp: 't', message, broker: 'b:9092', clientId: 'baton', error: 'Topic creation errors', correlationId: 3, size: 60 },
    });
    answer('Response CreateTopics(key: 19, version: 3)');
    expect(logger.error).not.toHaveBeenCalled();
    answer('Response Produce(key: 0, version: 7)');
    expect(logger.error).toHaveBeenCalledTimes(1);
  });
});
