import { Logger } from '@nestjs/common';
import { RelayBeat, RelayPresence } from './relay-presence';

describe('RelayPresence', () => {
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /**
   * A table of beats the test moves by hand (other relays beat as process `peer`); `down` makes our
   * own beat fail, as in an outage; `twin` is a process that beats as `me` too, before each of ours.
   */
  const table = () => {
    const beats = new Map<string, number>();
    const state = { down: false, calls: 0, twin: undefined as string | undefined, ownBoot: 'predecessor' as string | null };
    const beat = async (bootId: string): Promise<RelayBeat[]> => {
      state.calls++;
      if (state.down) throw new Error('database down');
      if (state.twin) state.ownBoot = state.twin;
      const seen = [...beats].map(([relayId, at]) => ({ relayId, seenAt: new Date(at), bootId: relayId === 'me' ? state.ownBoot : 'peer' }));
      beats.set('me', Date.now());
      state.ownBoot = bootId;
      return seen;
    };
    return { beats, state, beat };
  };

  it('presumes another instance dead once its beat has not moved for the peer timeout, and alive when it beats again', async () => {
    const { beats, beat } = table();
    beats.set('other', Date.now());
    const presence = new RelayPresence(beat, 'me', 1000, 10_000, new Logger('test'));
    presence.start();
    await jest.advanceTimersByTimeAsync(9_000);
    expect(presence.presumedDead()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(presence.presumedDead()).toEqual(['other']);
    beats.set('other', Date.now());
    await jest.advanceTimersByTimeAsync(1_000);
    expect(presence.presumedDead()).toEqual([]);
    await presence.stop();
  });

  it('never presumes itself dead, nor an instance that keeps beating', async () => {
    const { beats, beat } = table();
    const presence = new RelayPresence(beat, 'me', 1000, 2_000, new Logger('test'));
    presence.start();
    for (let s = 0; s < 10; s++) {
      beats.set('busy', Date.now());
      await jest.advanceTimersByTimeAsync(1_000);
    }
    expect(presence.presumedDead()).toEqual([]);
    await presence.stop();
  });

  it('forgets its judgements when its own beat fails: after an outage nobody is found dead at once', async () => {
    const { beats, state, beat } = table();
    beats.set('other', Date.now());
    const presence = new RelayPresence(beat, 'me', 1000, 5_000, new Logger('test'));
    presence.start();
    await jest.advanceTimersByTimeAsync(3_000);
    state.down = true; // the database goes away for 20 s: nobody beats
    await jest.advanceTimersByTimeAsync(20_000);
    state.down = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(presence.presumedDead()).toEqual([]); // 24 s since other's beat, but one beat of ours since the outage
    await jest.advanceTimersByTimeAsync(5_000);
    expect(presence.presumedDead()).toEqual(['other']); // still silent for the timeout after it
    await presence.stop();
  });

  it('beats at least every second whatever the sweep interval, and one beat at a time', async () => {
    const { state } = table();
    let release!: () => void;
    const slow = () => {
      state.calls++;
      return new Promise<RelayBeat[]>((resolve) => { release = () => resolve([]); });
    };
    const presence = new RelayPresence(slow, 'me', 60_000, 10_000, new Logger('test'));
    presence.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(state.calls).toBe(1); // the first beat hangs: no pile-up behind it
    release();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(state.calls).toBe(2);
    release();
    const stopped = presence.stop();
    await jest.advanceTimersByTimeAsync(5_000);
    await stopped;
    expect(state.calls).toBe(2);
  });

  it("takes its killed predecessor's beat for what it is, and reports a live twin with its INSTANCE_ID while the twin beats", async () => {
    const { beats, state, beat } = table();
    beats.set('me', Date.now()); // the predecessor's last beat, a moment ago
    const logger = new Logger('test');
    const errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const presence = new RelayPresence(beat, 'me', 1000, 10_000, logger);
    presence.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(presence.instanceIdShared()).toBe(false);
    state.twin = 'twin-process';
    await jest.advanceTimersByTimeAsync(1_000);
    expect(presence.instanceIdShared()).toBe(true);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(errors).toHaveBeenCalledTimes(1); // once when it appears, not at every beat
    expect(errors.mock.calls[0][1]).toMatch(/two instances share one INSTANCE_ID/);
    state.twin = undefined; // the twin stops
    await jest.advanceTimersByTimeAsync(9_000);
    expect(presence.instanceIdShared()).toBe(true);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(presence.instanceIdShared()).toBe(false);
    await presence.stop();
  });

  it('owns its INSTANCE_ID once it has beaten alone for two seconds, and not while a twin beats', async () => {
    const { beats, state, beat } = table();
    beats.set('me', Date.now()); // a killed predecessor's last beat: its id is on the row
    const presence = new RelayPresence(beat, 'me', 1000, 10_000, new Logger('test'));
    expect(presence.ownsItsId()).toBe(false);
    presence.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(presence.ownsItsId()).toBe(false); // a live twin may not have beaten yet
    await jest.advanceTimersByTimeAsync(1_000);
    expect(presence.ownsItsId()).toBe(true);
    state.twin = 'twin-process';
    await jest.advanceTimersByTimeAsync(1_000);
    expect(presence.ownsItsId()).toBe(false);
    state.twin = undefined;
    await jest.advanceTimersByTimeAsync(11_000);
    expect(presence.ownsItsId()).toBe(true);
    await presence.stop();
  });

  it('started beside a live twin, never owns the INSTANCE_ID', async () => {
    const { state, beat } = table();
    state.twin = 'running-process';
    const presence = new RelayPresence(beat, 'me', 1000, 10_000, new Logger('test'));
    presence.start();
    for (let s = 0; s < 10; s++) {
      await jest.advanceTimersByTimeAsync(1_000);
      expect(presence.ownsItsId()).toBe(false);
    }
    await presence.stop();
  });

  it('does not own its INSTANCE_ID while its beats are stuck, however long: time alone proves nothing', async () => {
    const { beat } = table();
    let calls = 0;
    let unstick!: (beats: RelayBeat[]) => void;
    const stuck = (bootId: string) => (++calls === 1 ? beat(bootId) : new Promise<RelayBeat[]>((resolve) => { unstick = resolve; }));
    const presence = new RelayPresence(stuck, 'me', 1000, 10_000, new Logger('test'));
    presence.start();
    await jest.advanceTimersByTimeAsync(30_000);
    expect([calls, presence.ownsItsId()]).toEqual([2, false]);
    unstick([]);
    await presence.stop();
  });
});
