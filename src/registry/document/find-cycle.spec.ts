import { depthsOf, findCycle } from './find-cycle';

const g = (edges: Record<string, string[]>) => Object.entries(edges).map(([name, dependsOn]) => ({ name, dependsOn }));

describe('findCycle', () => {
  it('finds none in a diamond', () => {
    expect(findCycle(g({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }))).toBeUndefined();
  });

  it('names the cycle as the path that closes it', () => {
    expect(findCycle(g({ a: ['c'], b: ['a'], c: ['b'] }))).toEqual(['a', 'c', 'b', 'a']);
  });

  it('finds a cycle away from the first node, and ignores unknown names and self-loops', () => {
    expect(findCycle(g({ a: ['zzz'], b: ['a', 'c'], c: ['d'], d: ['c'] }))).toEqual(['c', 'd', 'c']);
    expect(findCycle(g({ a: ['a'] }))).toBeUndefined();
  });

  it('walks a long chain without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => ({ name: `s${i}`, dependsOn: i ? [`s${i - 1}`] : [] }));
    expect(findCycle(chain)).toBeUndefined();
    expect(findCycle([...chain.slice(1), { name: 's0', dependsOn: ['s19999'] }])).toHaveLength(20_001);
  });
});

describe('depthsOf', () => {
  it('gives each step one more than its deepest dependency', () => {
    expect(Object.fromEntries(depthsOf(g({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: ['a', 'd'] }))))
      .toEqual({ a: 1, b: 2, c: 2, d: 3, e: 4 });
  });
});
