import { PollSlots } from './poll-slots';

describe('PollSlots', () => {
  it('lets a service hold at most max polls, frees a slot once, and counts each service apart', () => {
    const slots = new PollSlots(2);
    const first = slots.enter('a')!;
    const second = slots.enter('a')!;
    expect(slots.enter('a')).toBeUndefined();
    expect(slots.enter('b')).toBeDefined();
    first();
    first();
    expect(slots.enter('a')).toBeDefined();
    expect(slots.enter('a')).toBeUndefined();
    second();
    expect(slots.enter('a')).toBeDefined();
  });
});
