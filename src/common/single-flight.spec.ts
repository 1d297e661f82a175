import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('gives concurrent calls with one key the first call, and makes a new call once it settled', async () => {
    const flights = new SingleFlight<number>();
    let calls = 0;
    let release!: () => void;
    const call = () => new Promise<number>((resolve) => { calls++; release = () => resolve(calls); });
    const both = [flights.run('k', call), flights.run('k', call)];
    const other = flights.run('other', async () => 7);
    expect(calls).toBe(1);
    release();
    await expect(Promise.all(both)).resolves.toEqual([1, 1]);
    await expect(other).resolves.toBe(7);
    const again = flights.run('k', call);
    release();
    await expect(again).resolves.toBe(2);
  });

  it('shares a failure, then forgets it', async () => {
    const flights = new SingleFlight<number>();
    await expect(Promise.all([flights.run('k', async () => { throw new Error('down'); }), flights.run('k', async () => 1)])).rejects.toThrow('down');
    await expect(flights.run('k', async () => 1)).resolves.toBe(1);
  });
});
