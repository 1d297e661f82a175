import { DependencyWaits } from './dependency-waits';

describe('DependencyWaits', () => {
  it('reports the oldest wait under way, and none once every message is over', () => {
    let now = 1000;
    const waits = new DependencyWaits(() => new Date(now));
    const [a, b] = [waits.forMessage(), waits.forMessage()];
    expect(waits.since).toBeUndefined();
    a.waiting();
    now = 2000;
    a.waiting(); // a later retry of the same message: still waiting since its first
    b.waiting();
    expect(waits.since).toEqual(new Date(1000));
    a.over();
    expect(waits.since).toEqual(new Date(2000));
    b.over();
    b.over();
    expect(waits.since).toBeUndefined();
  });
});
