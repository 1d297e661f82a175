import { describe, expect, it } from 'vitest';
import { ServerClock, SKEW_MS } from './server-clock';

const LOCAL = Date.UTC(2026, 11, 1, 12, 0, 0);
/** The header Baton's clock, `skew` ms ahead of the browser's, writes at browser time `at`: whole seconds, cut down. */
const header = (at: number, skew: number) => new Date(Math.floor((at + skew) / 1000) * 1000).toUTCString();

/** A clock fed `n` answers 2 s apart, each taking `rtt` ms, from a Baton `skew` ms ahead. */
function fed(skew: number, n: number, rtt = 40): ServerClock {
  let local = LOCAL;
  const clock = new ServerClock(() => local);
  for (let i = 0; i < n; i++) {
    clock.observe(header(local + rtt / 2, skew), local, local + rtt);
    local += 2000;
  }
  return clock;
}

describe('ServerClock', () => {
  it('corrects a browser clock minutes off, to within the header\'s second', () => {
    for (const skew of [5 * 60_000, -5 * 60_000, -3_700]) {
      const clock = fed(skew, 5);
      expect(Math.abs(clock.offset() - skew)).toBeLessThanOrEqual(600);
    }
    const behind = fed(-5 * 60_000, 5);
    expect(Math.abs(behind.now() - (LOCAL + 10_000 - 5 * 60_000))).toBeLessThanOrEqual(600);
  });

  it('leaves a skew the header cannot tell from none alone', () => {
    for (const skew of [0, 900, -900, SKEW_MS - 600]) expect(fed(skew, 9).offset()).toBe(0);
  });

  it('does not switch a skew near the threshold on and off as its samples wander', () => {
    // A skew of 2.0 s, answers at every fraction of a second: the whole-second header puts each
    // sample anywhere within half a second of it, so their median wanders across 2 s.
    let local = LOCAL;
    const clock = new ServerClock(() => local);
    const switches: number[] = [];
    for (let i = 0; i < 200; i++) {
      const before = clock.offset();
      clock.observe(header(local + 20, SKEW_MS), local, local + 40);
      if ((before === 0) !== (clock.offset() === 0)) switches.push(i);
      local += 2000 + ((i * 389) % 1000);
    }
    expect(switches.length).toBeLessThanOrEqual(1);
  });

  it('waits for a few answers before correcting anything', () => {
    expect(fed(60_000, 2).offset()).toBe(0);
    expect(fed(60_000, 3).offset()).not.toBe(0);
  });

  it('is not moved by one odd answer, nor by one too slow to place, nor by a header that is no date', () => {
    const clock = fed(60_000, 5);
    const before = clock.offset();
    // A cached answer an hour old, then an answer that took 10 s, then garbage.
    clock.observe(new Date(LOCAL - 3_600_000).toUTCString(), LOCAL + 10_000, LOCAL + 10_040);
    expect(Math.abs(clock.offset() - before)).toBeLessThanOrEqual(1000);
    clock.observe(header(LOCAL, 600_000), LOCAL, LOCAL + 10_000);
    clock.observe('not a date', LOCAL, LOCAL + 40);
    clock.observe(null, LOCAL, LOCAL + 40);
    expect(Math.abs(clock.offset() - before)).toBeLessThanOrEqual(1000);

    // Nor does a browser without skew start correcting over one odd answer.
    const right = fed(0, 5);
    right.observe(new Date(LOCAL + 3_600_000).toUTCString(), LOCAL, LOCAL + 40);
    expect(right.offset()).toBe(0);
  });

  it('follows the clock once most recent answers say it moved (the browser\'s clock set right)', () => {
    let local = LOCAL;
    const clock = new ServerClock(() => local);
    for (let i = 0; i < 5; i++, local += 2000) clock.observe(header(local, 120_000), local, local + 40);
    expect(clock.offset()).toBeGreaterThan(SKEW_MS);
    for (let i = 0; i < 15; i++, local += 2000) clock.observe(header(local, 0), local, local + 40);
    expect(clock.offset()).toBe(0);
  });
});
