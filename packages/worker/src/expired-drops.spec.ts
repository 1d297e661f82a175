import { ExpiredDrops } from './expired-drops';

describe('ExpiredDrops', () => {
  const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    logger.warn.mockReset();
  });

  it('logs the first drop at once, counts the next 10 s of them into one line naming the first ten flowIds, then logs the next at once', () => {
    const drops = new ExpiredDrops(logger);
    for (let i = 1; i <= 150; i++) drops.dropped({ flowId: `f${i}`, step: 's' });
    expect(logger.warn.mock.calls).toEqual([[{ flowId: 'f1', step: 's' }, 'command expired before it was handled: dropped']]);
    jest.advanceTimersByTime(10_000);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenLastCalledWith({ dropped: 149, flowIds: Array.from({ length: 10 }, (_, i) => `f${i + 2}`) },
      '149 more command(s) expired before they were handled: dropped (flowIds: the first 10)');
    drops.dropped({ flowId: 'g1' });
    expect(logger.warn).toHaveBeenLastCalledWith({ flowId: 'g1' }, 'command expired before it was handled: dropped');
  });

  it('writes no summary when a drop came alone, and keeps no timer once flushed', () => {
    const drops = new ExpiredDrops(logger);
    drops.dropped({ flowId: 'f1' });
    drops.flush();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10_000);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
