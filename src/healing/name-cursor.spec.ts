import { NameCursor } from './name-cursor';

describe('NameCursor', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const read = async (after: string, limit: number) => names.filter((n) => n > after).slice(0, limit).map((orchName) => ({ orchName }));
  const page = async (cursor: NameCursor) => (await cursor.next(read, 2)).map((t) => t.orchName);

  it('reads every name in turn, a page at a time, then starts over', async () => {
    const cursor = new NameCursor();
    expect([await page(cursor), await page(cursor), await page(cursor), await page(cursor)]).toEqual([['a', 'b'], ['c', 'd'], ['e'], ['a', 'b']]);
  });

  it('starts over after an empty page (the last one was full)', async () => {
    const cursor = new NameCursor();
    const four = async (after: string, limit: number) => (await read(after, limit)).filter((t) => t.orchName !== 'e');
    const pages = [];
    for (let i = 0; i < 4; i++) pages.push((await cursor.next(four, 2)).map((t) => t.orchName));
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], [], ['a', 'b']]);
  });
});
