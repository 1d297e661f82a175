import { HeldBack } from './held-back';

describe('HeldBack', () => {
  it('skips a key for the next ticks, then lets it be tried again', () => {
    const held = new HeldBack(2);
    held.hold('a');
    const seen = [];
    for (let i = 0; i < 3; i++) {
      held.tick();
      seen.push(held.has('a'));
    }
    expect(seen).toEqual([true, true, false]);
    expect(held.size).toBe(0);
  });

  it('holds a key that failed again for the whole period again', () => {
    const held = new HeldBack(2);
    held.hold('a');
    held.tick();
    held.hold('a');
    held.tick();
    held.tick();
    expect(held.has('a')).toBe(true);
  });
});
