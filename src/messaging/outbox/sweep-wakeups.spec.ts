import { MAX_WAKEUPS, SweepWakeups } from './sweep-wakeups';

const POLL = 1000;
const NOW = 1_000_000;
const delayed = (dueMs: number) => ({ delayed: true, availableAt: new Date(dueMs) });

describe('SweepWakeups', () => {
  it('waits the poll interval when no delayed row is due before it', () => {
    const wakeups = new SweepWakeups(POLL);
    expect(wakeups.delay(NOW)).toBe(POLL);
    wakeups.add([delayed(NOW + 5000)], NOW);
    expect(wakeups.delay(NOW)).toBe(POLL);
  });

  it('wakes a few ms after the earliest due time, and never asks for a negative delay', () => {
    const wakeups = new SweepWakeups(POLL);
    wakeups.add([delayed(NOW + 700), delayed(NOW + 300)], NOW);
    const delay = wakeups.delay(NOW);
    expect(delay).toBeGreaterThanOrEqual(300);
    expect(delay).toBeLessThanOrEqual(310);
    expect(wakeups.delay(NOW + 500)).toBe(0); // due, and no pass has started since
  });

  it('ignores rows due at once, and delayed ones whose due time it was not told', () => {
    const wakeups = new SweepWakeups(POLL);
    wakeups.add([{ delayed: false, availableAt: new Date(NOW + 100) }, { delayed: true }], NOW);
    expect(wakeups.delay(NOW)).toBe(POLL);
  });

  it('forgets the times a pass started after, and then wakes for the next one', () => {
    const wakeups = new SweepWakeups(POLL);
    wakeups.add([delayed(NOW + 100), delayed(NOW + 400)], NOW);
    wakeups.passStarts(NOW + 200);
    const delay = wakeups.delay(NOW + 250);
    expect(delay).toBeGreaterThanOrEqual(150);
    expect(delay).toBeLessThanOrEqual(160);
    wakeups.passStarts(NOW + 500);
    expect(wakeups.delay(NOW + 500)).toBe(POLL);
  });

  it('asks to re-arm a pending timer only when it would fire after the earliest wake time', () => {
    const wakeups = new SweepWakeups(POLL);
    expect(wakeups.add([delayed(NOW + 300)], NOW)).toBeUndefined(); // not armed yet: the first pass comes at start
    wakeups.armed(NOW + POLL);
    const sooner = wakeups.add([delayed(NOW + 300)], NOW);
    expect(sooner).toBeGreaterThanOrEqual(300);
    expect(sooner).toBeLessThan(POLL);
    wakeups.armed(NOW + sooner!);
    expect(wakeups.add([delayed(NOW + 600)], NOW)).toBeUndefined(); // the timer fires before it already
    expect(wakeups.add([delayed(NOW + 2000)], NOW)).toBeUndefined();
  });

  it('leaves a pass that is running alone: the delay after it covers what was added meanwhile', () => {
    const wakeups = new SweepWakeups(POLL);
    wakeups.armed(NOW);
    wakeups.passStarts(NOW);
    expect(wakeups.add([delayed(NOW + 50)], NOW + 10)).toBeUndefined();
    expect(wakeups.delay(NOW + 100)).toBe(0); // became due during the pass
  });

  it('counts rows due within a few ms of each other once', () => {
    const wakeups = new SweepWakeups(POLL);
    wakeups.add([delayed(NOW + 301), delayed(NOW + 302), delayed(NOW + 301)], NOW);
    wakeups.passStarts(NOW + wakeups.delay(NOW));
    expect(wakeups.delay(NOW + 310)).toBe(POLL);
  });

  it('keeps at most MAX_WAKEUPS times, the earliest, and leaves the later ones to the poll', () => {
    const wakeups = new SweepWakeups(POLL);
    const dueTimes = Array.from({ length: MAX_WAKEUPS * 2 }, (_, i) => NOW + 100 + 10 * (MAX_WAKEUPS * 2 - i)); // latest first
    wakeups.add(dueTimes.map(delayed), NOW);
    let passes = 0;
    let now = NOW;
    for (let delay = wakeups.delay(now); delay < POLL; delay = wakeups.delay(now)) {
      now += delay;
      wakeups.passStarts(now);
      passes++;
    }
    expect(passes).toBe(MAX_WAKEUPS);
    expect(now).toBeLessThan(NOW + 100 + 10 * (MAX_WAKEUPS + 1)); // the earliest were kept
  });
});
