import { DATABASE_PROBE_MS, sharedRead } from './probe-read';

describe('sharedRead', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A read whose answers the test gives, one per call. */
  const controlled = () => {
    const answers: Array<(value: number) => void> = [];
    const read = jest.fn(() => new Promise<number>((resolve) => { answers.push(resolve); }));
    return { read, answer: (value: number) => answers.shift()!(value) };
  };

  it('shares one read between the callers that come while it is in flight', async () => {
    const { read, answer } = controlled();
    const shared = sharedRead(read);
    const both = Promise.all([shared(), shared()]);
    answer(7);
    expect(await both).toEqual([7, 7]);
    expect(read).toHaveBeenCalledTimes(1);
    const next = shared();
    answer(8);
    expect(await next).toBe(8);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('gives up on a read after DATABASE_PROBE_MS, and does not ask again until it ends', async () => {
    const { read, answer } = controlled();
    const shared = sharedRead(read);
    const first = shared();
    await jest.advanceTimersByTimeAsync(DATABASE_PROBE_MS);
    expect(await first).toBeUndefined();
    const second = shared();
    await jest.advanceTimersByTimeAsync(DATABASE_PROBE_MS);
    expect(await second).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
    answer(1);
    await jest.advanceTimersByTimeAsync(0);
    const third = shared();
    answer(2);
    expect(await third).toBe(2);
  });

  it('keeps what a read gave for keepMs after it ended, and a failure as undefined', async () => {
    const read = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(5);
    const shared = sharedRead(read, 10_000);
    expect(await shared()).toBeUndefined();
    await jest.advanceTimersByTimeAsync(9_999);
    expect(await shared()).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(await shared()).toBe(5);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
