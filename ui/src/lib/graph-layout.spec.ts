import { describe, expect, it } from 'vitest';
import type { TemplateGraph, TemplateStep } from '../api/types';
import { layoutGraph, NODE_W } from './graph-layout';

const step = (name: string, seq: number, dependsOn: string[] | null = null): TemplateStep =>
  ({ name, seq, objectType: 'O', timeoutSeconds: null, heartbeatSeconds: null, retry: null, handler: { type: 'worker' }, undo: true, onFailure: 'compensate', workers: null, mayWork: null, dependsOn });
/** A version's graph as the API gives it: the steps as nodes, and these edges. */
const graphOf = (steps: TemplateStep[], edges: TemplateGraph['edges']): TemplateGraph =>
  ({ nodes: steps.map((s) => ({ name: s.name, seq: s.seq, handler: 'worker' })), edges });

describe('layoutGraph', () => {
  it('draws a sequential template as one column per stage, steps of a stage stacked', () => {
    const g = layoutGraph([step('a', 1), step('b', 2), step('c', 2), step('d', 3)], 'sequential');
    const col = Object.fromEntries(g.nodes.map((n) => [n.step.name, n.column]));
    expect(col).toEqual({ a: 0, b: 1, c: 1, d: 2 });
    const [b, c] = g.nodes.filter((n) => n.column === 1);
    expect(g.columns.map((c) => c.label)).toEqual(['stage 1', 'stage 2', 'stage 3']);
    expect(g.columns[1].x).toBe(b.x);
    expect(g.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['a>b', 'a>c', 'b>d', 'c>d']);
    expect(c.y).toBeGreaterThan(b.y);
    expect(b.x).toBeGreaterThan(NODE_W);
  });

  it('draws a parallel template as one column without edges', () => {
    const g = layoutGraph([step('a', 1), step('b', 2)], 'parallel');
    expect(new Set(g.nodes.map((n) => n.column))).toEqual(new Set([0]));
    expect(g.edges).toEqual([]);
    expect(g.columns.map((c) => c.label)).toEqual(['parallel']);
  });

  it('layers a DAG by longest path and keeps only its own edges', () => {
    const steps = [step('a', 1), step('b', 1), step('c', 1), step('d', 1)];
    const g = layoutGraph(steps, 'dag',
      graphOf(steps, [{ from: 'a', to: 'b' }, { from: 'b', to: 'd' }, { from: 'a', to: 'd' }, { from: 'c', to: 'd' }, { from: 'a', to: 'ghost' }]));
    const col = Object.fromEntries(g.nodes.map((n) => [n.step.name, n.column]));
    expect(col).toEqual({ a: 0, c: 0, b: 1, d: 2 });
    expect(g.edges).toHaveLength(4);
  });

  it("draws a DAG's own edges, not edges between stages (c leads to e, not to d)", () => {
    // As the API sends a dag version: seq numbers that say nothing of what waits for what.
    const steps = [step('a', 1), step('b', 2, ['a']), step('c', 3, ['a']), step('d', 4, ['b']), step('e', 5, ['c'])];
    const graph = graphOf(steps, [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'e' }]);
    for (const g of [layoutGraph(steps, 'dag', graph), layoutGraph(steps, 'dag')]) {
      expect(g.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['a>b', 'a>c', 'b>d', 'c>e']);
      expect(Object.fromEntries(g.nodes.map((n) => [n.step.name, n.column]))).toEqual({ a: 0, b: 1, c: 1, d: 2, e: 2 });
      expect(g.columns.map((c) => c.label)).toEqual(['layer 1', 'layer 2', 'layer 3']);
    }
  });

  it('survives a cyclic graph without looping forever', () => {
    const steps = [step('a', 1), step('b', 1)];
    const g = layoutGraph(steps, 'dag', graphOf(steps, [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }]));
    expect(g.nodes).toHaveLength(2);
  });
});
