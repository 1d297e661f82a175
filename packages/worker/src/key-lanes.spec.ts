import { KeyLanes } from './key-lanes';

describe('KeyLanes', () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  };

  it('runs one key\'s tasks in order, one at a time, and other keys at once', async () => {
    const lanes = new KeyLanes();
    const log: string[] = [];
    const first = gate();
    lanes.run('a', async () => {
      log.push('a1');
      await first.opened;
      log.push('a1 done');
    });
    lanes.run('a', async () => void log.push('a2'));
    lanes.run('b', async () => void log.push('b1'));
    lanes.run(undefined, async () => void log.push('none'));
    expect(log).toEqual(['a1', 'b1', 'none']); // an idle key's task starts before run() returns
    first.open();
    await lanes.idle();
    expect(log).toEqual(['a1', 'b1', 'none', 'a1 done', 'a2']);
  });

  it('is idle only once the last task of every key has finished', async () => {
    const lanes = new KeyLanes();
    const slow = gate();
    let done = false;
    lanes.run('a', async () => undefined);
    lanes.run('a', async () => {
      await slow.opened;
      done = true;
    });
    const idle = lanes.idle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    slow.open();
    await idle;
    expect(done).toBe(true);
  });

  it('starts a key\'s next task once the one before frees the key, and is idle only once both ended', async () => {
    const lanes = new KeyLanes();
    const log: string[] = [];
    const hung = gate();
    lanes.run('a', async (release) => {
      log.push('a1');
      release(); // a handler given up on: it runs on, its key is free
      await hung.opened;
      log.push('a1 done');
    });
    lanes.run('a', async () => void log.push('a2'));
    lanes.run('a', async () => void log.push('a3'));
    const idle = lanes.idle().then(() => log.push('idle'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a1', 'a2', 'a3']);
    hung.open();
    await idle;
    expect(log).toEqual(['a1', 'a2', 'a3', 'a1 done', 'idle']);
  });

  it('runs a key\'s next task after one that rejected, and stays quiet about it', async () => {
    const lanes = new KeyLanes();
    const ran: string[] = [];
    lanes.run('a', async () => Promise.reject(new Error('broken')));
    lanes.run('a', async () => void ran.push('a2'));
    lanes.run(undefined, async () => Promise.reject(new Error('broken too')));
    await lanes.idle();
    expect(ran).toEqual(['a2']);
  });
});
