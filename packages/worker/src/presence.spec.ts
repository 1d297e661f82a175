import { setTimeout as sleep } from 'node:timers/promises';
import { BatonHttpError } from './baton-client';
import type { WorkerControl } from './control';
import { Presence } from './presence';

const quiet = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });
const steps = [{ orchName: 'order', stepName: 'charge' }];

function control(overrides: Partial<WorkerControl> = {}): WorkerControl {
  return { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined, ...overrides };
}

async function until(condition: () => boolean): Promise<void> {
  for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await sleep(10);
  expect(condition()).toBe(true);
}

describe('Presence', () => {
  it('never starts a beat while the one before is still out', async () => {
    let out = 0;
    let most = 0;
    let beats = 0;
    const presence = new Presence(control({
      reportPresence: async () => {
        most = Math.max(most, ++out);
        beats++;
        await sleep(50); // a slow Baton: longer than presenceMs
        out--;
      },
    }), 'shop', steps, quiet(), 10);
    await presence.start();
    await until(() => beats >= 4);
    await presence.stop();
    expect(most).toBe(1);
  });

  it('says goodbye only once the beat out has ended: its upsert would otherwise bring the instance back', async () => {
    const events: string[] = [];
    let release!: () => void;
    let beats = 0;
    const presence = new Presence(control({
      reportPresence: async () => {
        if (++beats === 1) return;
        events.push('beat');
        await new Promise<void>((resolve) => (release = resolve));
        events.push('beat answered');
      },
      leave: async () => void events.push('goodbye'),
    }), 'shop', steps, quiet(), 10);
    await presence.start();
    await until(() => events.length === 1);
    const stopped = presence.stop();
    await sleep(20);
    release();
    await stopped;
    expect(events).toEqual(['beat', 'beat answered', 'goodbye']);
  });

  it('says no goodbye when Baton never accepted a beat (a start that failed, Baton unreachable): it never saw the instance', async () => {
    const logger = quiet();
    const leave = jest.fn(async () => undefined);
    const presence = new Presence(control({ reportPresence: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3000')), leave }),
      'shop', steps, logger, 5000);
    await presence.start();
    await presence.stop();
    expect(leave).not.toHaveBeenCalled();
    expect(logger.warn.mock.calls.map(([, message]) => message)).not.toContainEqual(expect.stringContaining('goodbye'));
  });

  it('gives up on a goodbye Baton does not answer within 5 s, and says so', async () => {
    jest.useFakeTimers();
    try {
      const logger = quiet();
      const presence = new Presence(control({ leave: () => new Promise(() => undefined) }), 'shop', steps, logger, 5000);
      await presence.start();
      const stopped = presence.stop();
      await jest.advanceTimersByTimeAsync(5000);
      await stopped;
      expect(logger.warn).toHaveBeenCalledWith({ service: 'shop' }, 'could not say goodbye: saying goodbye: no answer within 5000 ms');
    } finally {
      jest.useRealTimers();
    }
  });

  it('beats further apart while Baton refuses them (a revoked key), logs that as an error once, and when they pass again', async () => {
    let accepted = false;
    let beats = 0;
    const logger = quiet();
    const presence = new Presence(control({
      reportPresence: async () => {
        beats++;
        if (!accepted) throw new BatonHttpError(401, '{"code":"UNAUTHORIZED"}', 'POST /api/workers/shop/presence');
      },
    }), 'shop', steps, logger, 20);
    await presence.start();
    await sleep(500);
    expect(beats).toBeLessThanOrEqual(7); // every 20 ms: 25
    accepted = true;
    await until(() => logger.info.mock.calls.length > 0);
    await presence.stop();
    expect(logger.error.mock.calls).toEqual([[{ service: 'shop' }, expect.stringContaining('presence not accepted: POST /api/workers/shop/presence answered 401')]]);
    expect(logger.info.mock.calls).toEqual([[{ service: 'shop' }, 'presence accepted again']]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('beats at most three intervals apart through an outage, so that the instance is back soon after Baton is', async () => {
    jest.useFakeTimers();
    try {
      const beats: number[] = [];
      const presence = new Presence(control({
        reportPresence: async () => {
          beats.push(Date.now());
          if (beats.length > 1) throw new Error('connect ECONNREFUSED 127.0.0.1:3000');
        },
      }), 'shop', steps, quiet(), 5000);
      await presence.start();
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      await presence.stop();
      const gaps = beats.slice(1).map((at, i) => at - beats[i]);
      expect(gaps.length).toBeGreaterThanOrEqual(40); // ten minutes at most 15 s apart
      expect(Math.max(...gaps)).toBeLessThanOrEqual(15_000);
    } finally {
      jest.useRealTimers();
    }
  });
});
