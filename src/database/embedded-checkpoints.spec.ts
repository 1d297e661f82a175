import { Logger } from '@nestjs/common';
import { EmbeddedCheckpoints } from './embedded-checkpoints';

describe('EmbeddedCheckpoints', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('takes a checkpoint every interval once started', async () => {
    const checkpoint = jest.fn().mockResolvedValue(undefined);
    const checkpoints = new EmbeddedCheckpoints(checkpoint, 5000);
    checkpoints.start();
    await jest.advanceTimersByTimeAsync(4999);
    expect(checkpoint).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(10_001);
    expect(checkpoint).toHaveBeenCalledTimes(3);
    await checkpoints.stop();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(checkpoint).toHaveBeenCalledTimes(3);
  });

  it('never checkpoints with an interval of 0', async () => {
    const checkpoint = jest.fn().mockResolvedValue(undefined);
    new EmbeddedCheckpoints(checkpoint, 0).start();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(checkpoint).not.toHaveBeenCalled();
  });

  it('skips a tick while a checkpoint runs, and stop waits for it', async () => {
    let finish!: () => void;
    const checkpoint = jest.fn(() => new Promise<void>((resolve) => { finish = resolve; }));
    const checkpoints = new EmbeddedCheckpoints(checkpoint, 1000);
    checkpoints.start();
    await jest.advanceTimersByTimeAsync(3500);
    expect(checkpoint).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = checkpoints.stop().then(() => { stopped = true; });
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('reports a failed checkpoint and tries again at the next interval', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const checkpoint = jest.fn().mockRejectedValueOnce(new Error('timeout exceeded when trying to connect')).mockResolvedValue(undefined);
    const checkpoints = new EmbeddedCheckpoints(checkpoint, 1000);
    checkpoints.start();
    await jest.advanceTimersByTimeAsync(2000);
    expect(checkpoint).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith({ err: 'timeout exceeded when trying to connect' }, expect.stringContaining('checkpoint failed'));
    await checkpoints.stop();
    warn.mockRestore();
  });
});
