import { RabbitBacklog } from './rabbitmq-backlog';

describe('RabbitBacklog', () => {
  const since = new Date('2026-12-07T10:00:00Z');
  const at = (ms: number) => new Date(since.getTime() + ms);

  it('is applied at the first count when nothing waited', () => {
    const backlog = new RabbitBacklog(since);
    expect(backlog.backlog()).toEqual({ kind: 'applying', since });
    expect(backlog.counted(0, at(5))).toBe(true);
    expect(backlog.backlog()).toEqual({ kind: 'applied' });
    expect(backlog.waiting).toBe(0);
    expect(backlog.catchUpMs()).toBe(5);
  });

  it('applies while messages are still ready in the queue, however many were delivered', () => {
    const backlog = new RabbitBacklog(since);
    for (let tag = 1; tag <= 3; tag++) backlog.delivered(tag);
    for (let tag = 1; tag <= 3; tag++) expect(backlog.settled(tag)).toBe(false);
    expect(backlog.counted(7)).toBe(false);
    expect(backlog.applied).toBe(false);
  });

  it('once the queue reads empty, waits for the deliveries before that count to settle, in any order', () => {
    const backlog = new RabbitBacklog(since);
    for (let tag = 1; tag <= 4; tag++) backlog.delivered(tag);
    backlog.settled(2);
    expect(backlog.counted(0)).toBe(false);
    // A message delivered after the count is live traffic: it does not hold the backlog.
    backlog.delivered(5);
    expect(backlog.settled(4)).toBe(false);
    expect(backlog.settled(1)).toBe(false);
    expect(backlog.settled(3, at(900))).toBe(true);
    expect(backlog.backlog()).toEqual({ kind: 'applied' });
    expect(backlog.waiting).toBe(4);
    expect(backlog.catchUpMs()).toBe(900);
  });

  it('keeps the first empty count: a later one, with more delivered meanwhile, does not move the mark', () => {
    const backlog = new RabbitBacklog(since);
    backlog.delivered(1);
    backlog.counted(0);
    backlog.delivered(2);
    backlog.counted(0);
    expect(backlog.settled(1)).toBe(true);
  });

  it('stays applied under live traffic', () => {
    const backlog = new RabbitBacklog(since);
    backlog.counted(0);
    backlog.delivered(1);
    expect(backlog.counted(12)).toBe(false);
    expect(backlog.backlog()).toEqual({ kind: 'applied' });
  });
});
