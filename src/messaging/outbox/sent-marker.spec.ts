import { Logger } from '@nestjs/common';
import { FLUSH_DELAY_MS, SentMarker } from './sent-marker';

describe('SentMarker', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('coalesces ids into one update per burst', async () => {
    const updates: string[][] = [];
    const marker = new SentMarker(async (ids) => void updates.push(ids), new Logger('test'));
    marker.add(['1', '2']);
    marker.add(['3']);
    await marker.stop();
    expect(updates).toEqual([['1', '2', '3']]);
  });

  it('keeps ids whose update failed and flushes them again', async () => {
    let fail = true;
    const updates: string[][] = [];
    const marker = new SentMarker(async (ids) => {
      if (fail) {
        fail = false;
        throw new Error('database busy');
      }
      updates.push(ids);
    }, new Logger('test'));
    marker.add(['1']);
    await new Promise((r) => setTimeout(r, FLUSH_DELAY_MS + 50)); // the first flush runs and fails
    marker.add(['2']);
    await marker.stop();
    expect(updates).toEqual([['1', '2']]);
  });

  it('flushNow marks what is pending at once, and rejects when it could not', async () => {
    let fail = false;
    const updates: string[][] = [];
    const marker = new SentMarker(async (ids) => {
      if (fail) throw new Error('database down');
      updates.push(ids);
    }, new Logger('test'));
    marker.add(['1']);
    await marker.flushNow(); // not after FLUSH_DELAY_MS
    expect(updates).toEqual([['1']]);
    fail = true;
    marker.add(['2']);
    await expect(marker.flushNow()).rejects.toThrow('database down'); // as is: an outage is told from a fault by it
    fail = false;
    await marker.stop();
    expect(updates).toEqual([['1'], ['2']]);
  });
});
