import { Logger } from '@nestjs/common';
import { CapturingConsumer } from '../../test/helpers/capturing-consumer';
import { CommandRetention } from './command-retention';

describe('CommandRetention', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it("asks the broker to keep the topic for the service's group", async () => {
    const consumer = new CapturingConsumer();
    const retainFor = jest.spyOn(consumer, 'retainFor');
    await new CommandRetention(consumer).retain('orchestrator.commands.shop', 'shop');
    expect(retainFor).toHaveBeenCalledWith('orchestrator.commands.shop', 'shop');
  });

  it('warns and resolves when the broker refuses: the registration is committed already', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const consumer = new CapturingConsumer();
    jest.spyOn(consumer, 'retainFor').mockRejectedValue(new Error('RabbitMQ is not connected'));
    await expect(new CommandRetention(consumer).retain('orchestrator.commands.shop', 'shop')).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith({ serviceName: 'shop', topic: 'orchestrator.commands.shop' },
      'Commands to shop are kept only once its first consumer starts: RabbitMQ is not connected');
  });

  it('gives up on a broker that does not answer within 5 s', async () => {
    jest.useFakeTimers();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const consumer = new CapturingConsumer();
    jest.spyOn(consumer, 'retainFor').mockReturnValue(new Promise(() => undefined));
    const retained = new CommandRetention(consumer).retain('orchestrator.commands.shop', 'shop');
    await jest.advanceTimersByTimeAsync(5000);
    await retained;
    expect(warn.mock.calls[0][1]).toMatch(/declaring its queue: no answer within 5000 ms$/);
  });
});
