import { OffsetCommits } from './offset-commits';

type Commit = { topic: string; partition: number; offset: string };

const settle = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };

/** OffsetCommits on a broker whose commits complete only when the test says so. */
function slowBroker() {
  const sent: Commit[] = [];
  const pending: Array<() => void> = [];
  const commit = (c: Commit) => new Promise<void>((resolve) => { sent.push(c); pending.push(resolve); });
  const completeNext = async () => {
    pending.shift()!();
    await settle();
  };
  return { sent, completeNext, outstanding: () => pending.length, commits: new OffsetCommits(commit) };
}

describe('OffsetCommits', () => {
  it("commits the offset after the handled message's, and keeps the commit out until the broker answers", async () => {
    const { commits, ...broker } = slowBroker();
    commits.handled('cmds', 0, '41');
    await settle();
    expect(broker.sent).toEqual([{ topic: 'cmds', partition: 0, offset: '42' }]);
    expect(broker.outstanding()).toBe(1);
  });

  it('sends one commit at a time per partition, the latest offset due, whatever was handled meanwhile', async () => {
    const { commits, ...broker } = slowBroker();
    commits.handled('cmds', 0, '1');
    await settle();
    commits.handled('cmds', 0, '2');
    commits.handled('cmds', 0, '3');
    await settle();
    expect(broker.sent.map((c) => c.offset)).toEqual(['2']);
    await broker.completeNext();
    expect(broker.sent.map((c) => c.offset)).toEqual(['2', '4']);
    await broker.completeNext();
    expect(broker.outstanding()).toBe(0);
  });

  it('commits partitions independently', async () => {
    const { commits, ...broker } = slowBroker();
    commits.handled('cmds', 0, '10');
    commits.handled('cmds', 1, '20');
    commits.handled('other', 0, '30');
    await settle();
    expect(broker.sent).toEqual([
      { topic: 'cmds', partition: 0, offset: '11' }, { topic: 'cmds', partition: 1, offset: '21' }, { topic: 'other', partition: 0, offset: '31' },
    ]);
  });

  it('flush waits until every offset due so far is committed', async () => {
    const { commits, ...broker } = slowBroker();
    commits.handled('cmds', 0, '1');
    await settle();
    commits.handled('cmds', 0, '2');
    let flushed = false;
    const flush = commits.flush().then(() => { flushed = true; });
    await broker.completeNext();
    expect(flushed).toBe(false);
    expect(broker.sent.map((c) => c.offset)).toEqual(['2', '3']);
    await broker.completeNext();
    await flush;
    expect(flushed).toBe(true);
  });

  it('compares offsets as numbers beyond 2^53', async () => {
    const { commits, ...broker } = slowBroker();
    commits.handled('cmds', 0, '9007199254740993');
    await settle();
    expect(broker.sent[0].offset).toBe('9007199254740994');
  });
});
