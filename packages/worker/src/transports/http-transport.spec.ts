import { setTimeout as sleep } from 'node:timers/promises';
import type { BatonClient } from '../baton-client';
import { Slots } from '../slots';
import { HttpTransport } from './http-transport';

describe('HttpTransport', () => {
  it('warns once while Baton does not answer its polls, and says when it answers again', async () => {
    let answering = false;
    let polls = 0;
    const client = {
      service: 'shop',
      request: async () => {
        polls++;
        if (!answering) throw new Error('fetch failed');
        await sleep(20); // a long poll that ends with no command
        return [];
      },
    } as unknown as BatonClient;
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const transport = new HttpTransport(client, logger);
    const until = async (condition: () => boolean) => {
      for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await sleep(20);
    };
    await transport.start(() => undefined, new Slots(1));
    try {
      await until(() => polls >= 3);
      expect(logger.warn.mock.calls).toEqual([[{ service: 'shop' }, expect.stringContaining('fetch failed')]]);
      answering = true;
      await until(() => logger.info.mock.calls.length > 0);
    } finally {
      await transport.pause();
    }
    expect(logger.info.mock.calls).toEqual([[{ service: 'shop' }, 'polling Baton again']]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  }, 15_000);
});
