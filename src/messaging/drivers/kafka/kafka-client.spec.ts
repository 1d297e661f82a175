import { Logger } from '@nestjs/common';
import { kafkaLogLines } from './kafka-client';

describe('kafkaLogLines', () => {
  it("writes kafkajs's line and its details as one line, at its level", () => {
    const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
    const sink = kafkaLogLines(logger);
    sink('error', '[Connection] Connection error: ECONNREFUSED', { broker: 'b:9092', retry: { count: 2 } });
    sink('warn', '[Consumer] The group is rebalancing, re-joining', {});
    expect(logger.error).toHaveBeenCalledWith('[Connection] Connection error: ECONNREFUSED broker=b:9092 retry={"count":2}');
    expect(logger.warn).toHaveBeenCalledWith('[Consumer] The group is rebalancing, re-joining');
  });
});
