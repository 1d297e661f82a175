import { RabbitBacklog } from './rabbitmq-backlog';

describe('RabbitBacklog', () => {
  const since = new Date('2026-12-07T10:00:00Z');
  const at = (ms: number) => new Date(since.getTime() + ms);
  const deliver = (backlog: RabbitBacklog, ...tags: number[]) => tags.forEach((tag) => backlog.delivered(tag));

  it('is applied once the queue reads empty when nothing waited', () => {
    const backlog = new RabbitBacklog(since);
    expect(backlog.backlog()).toEqual({ kind: 'applying', since });
    expect(backlog.emptied(backlog.counting(), at(5))).toBe(true);
    expect(backlog.backlog()).toEqual({ kind: 'applied' });
    expect(backlog.waiting).toBe(0);
    expect(backlog.catchUpMs()).toBe(5);
  });

  it('stays applying, however many were delivered and settled, until the queue reads empty', () => {
    const backlog = new RabbitBacklog(since);
    deliver(backlog, 1, 2, 3);
    for (const tag of [1, 2, 3]) expect(backlog.settled(tag)).toBe(false);
    expect(backlog.marked).toBe(false);
    expect(backlog.applied).toBe(false);
  });

  it('once the queue reads empty, waits for the deliveries before it to settle, in any order', () => {
    const backlog = new RabbitBacklog(since);
    deliver(backlog, 1, 2, 3, 4);
    backlog.settled(2);
    expect(backlog.emptied(backlog.counting())).toBe(false);
    expect(backlog.marked).toBe(true);
    // A message delivered after the count is live traffic: it does not hold the backlog.
    deliver(backlog, 5);
    expect(backlog.settled(4)).toBe(false);
    expect(backlog.settled(1)).toBe(false);
    expect(backlog.settled(3, at(900))).toBe(true);
    expect(backlog.backlog()).toEqual({ kind: 'applied' });
    expect(backlog.waiting).toBe(4);
    expect(backlog.catchUpMs()).toBe(900);
  });

  it('a message back in the queue takes the mark away: the queue must read empty again', () => {
    const backlog = new RabbitBacklog(since);
    deliver(backlog, 1, 2);
    backlog.emptied(backlog.counting());
    backlog.requeued(2);
    expect(backlog.marked).toBe(false);
    expect(backlog.settled(1)).toBe(false);
    deliver(backlog, 3); // the requeued one again
    expect(backlog.emptied(backlog.counting())).toBe(false);
    expect(backlog.settled(3)).toBe(true);
  });

  it('ignores an empty count read before a message went back to the queue', () => {
    const backlog = new RabbitBacklog(since);
    deliver(backlog, 1);
    const counted = backlog.counting();
    backlog.requeued(1);
    expect(backlog.emptied(counted)).toBe(false);
    expect(backlog.marked).toBe(false);
  });

  it('stays applied under live traffic and requeues', () => {
    const backlog = new RabbitBacklog(since);
    backlog.emptied(backlog.counting());
    deliver(backlog, 1);
    backlog.requeued(1);
    expect(backlog.backlog()).toEqual({ kind: 'applied' });
  });
});
