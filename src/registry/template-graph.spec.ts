import { templateGraph } from './template-graph';

const w = { type: 'worker' };

describe('templateGraph', () => {
  it("draws a DAG's dependencies", () => {
    const g = templateGraph('dag', [
      { name: 'a', seq: 1, handler: w }, { name: 'b', seq: 2, dependsOn: ['a'], handler: { type: 'awx' } },
      { name: 'c', seq: 2, dependsOn: ['a'], handler: w }, { name: 'd', seq: 3, dependsOn: ['b', 'c'], handler: w },
    ]);
    expect(g.nodes[1]).toEqual({ name: 'b', seq: 2, handler: 'awx' });
    expect(g.edges).toEqual([{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }]);
  });

  it('links each stage of a sequential template to the next one', () => {
    const g = templateGraph('sequential', [
      { name: 'a', seq: 1, handler: w }, { name: 'b', seq: 2, handler: w }, { name: 'c', seq: 2, handler: w }, { name: 'd', seq: 5, handler: w },
    ]);
    expect(g.edges).toEqual([{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }]);
  });

  it('has no edges for a parallel template', () => {
    expect(templateGraph('parallel', [{ name: 'a', seq: 1, handler: w }, { name: 'b', seq: 2, handler: w }]).edges).toEqual([]);
  });
});
