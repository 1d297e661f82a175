import type { TemplateGraph, TemplateStep, TemplateType } from '../api/types';

export interface GraphNode { step: TemplateStep; column: number; row: number; x: number; y: number }
export interface GraphEdge { from: string; to: string; path: string }
export interface GraphColumn { label: string; x: number }
export interface GraphLayout { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number; columns: GraphColumn[] }

export const NODE_W = 210;
export const NODE_H = 62;
const GAP_X = 64;
const GAP_Y = 20;
const PAD = 16;
/** Room above the nodes for the column labels. */
const HEADER = 22;

/**
 * Columns of steps that run together. A DAG is layered by longest path from its roots; a
 * sequential template has one column per stage (seq), a parallel template one column. Edges are
 * the version's graph as the API gives it (for a DAG, without one from an older engine, each
 * step's `dependsOn`); without a graph, every step of a stage leads to every step of the next.
 */
export function layoutGraph(steps: TemplateStep[], type: TemplateType, graph?: TemplateGraph): GraphLayout {
  const known = new Set(steps.map((s) => s.name));
  const given = graph?.edges ?? (type === 'dag' ? steps.flatMap((s) => (s.dependsOn ?? []).map((d) => ({ from: d, to: s.name }))) : undefined);
  const graphEdges = given?.filter((e) => known.has(e.from) && known.has(e.to));
  const columnOf = type === 'dag' ? layerByLongestPath(steps, graphEdges ?? [])
    : new Map(steps.map((s) => [s.name, type === 'parallel' ? 0 : s.seq]));
  const keys = [...new Set(columnOf.values())].sort((a, b) => a - b);
  const byColumn = keys.map((k) => steps.filter((s) => columnOf.get(s.name) === k).sort((a, b) => a.seq - b.seq || a.name.localeCompare(b.name)));
  const tallest = Math.max(1, ...byColumn.map((c) => c.length));
  const body = tallest * NODE_H + (tallest - 1) * GAP_Y;
  const height = PAD * 2 + HEADER + body;
  const nodes: GraphNode[] = byColumn.flatMap((col, column) => {
    const colHeight = col.length * NODE_H + (col.length - 1) * GAP_Y;
    const top = PAD + HEADER + (body - colHeight) / 2;
    return col.map((step, row) => ({ step, column, row, x: PAD + column * (NODE_W + GAP_X), y: top + row * (NODE_H + GAP_Y) }));
  });
  const at = new Map(nodes.map((n) => [n.step.name, n]));
  const pairs = graphEdges
    ?? byColumn.slice(1).flatMap((col, i) => byColumn[i].flatMap((a) => col.map((b) => ({ from: a.name, to: b.name }))));
  const edges = pairs.map(({ from, to }) => ({ from, to, path: curve(at.get(from)!, at.get(to)!) }));
  const width = PAD * 2 + keys.length * NODE_W + Math.max(0, keys.length - 1) * GAP_X;
  const labels = type === 'dag' ? keys.map((k) => `layer ${k + 1}`)
    : type === 'parallel' ? ['parallel'] : keys.map((k) => `stage ${k}`);
  const columns = labels.map((label, i) => ({ label, x: PAD + i * (NODE_W + GAP_X) }));
  return { nodes, edges, width, height, columns };
}

function layerByLongestPath(steps: TemplateStep[], edges: { from: string; to: string }[]): Map<string, number> {
  const layer = new Map(steps.map((s) => [s.name, 0]));
  // Relaxing |V| times settles every longest path of a DAG; a cycle (a bad graph) stops there.
  for (let i = 0; i < steps.length; i++) {
    let changed = false;
    for (const { from, to } of edges) {
      const next = layer.get(from)! + 1;
      if (next > layer.get(to)! && next < steps.length) { layer.set(to, next); changed = true; }
    }
    if (!changed) break;
  }
  return layer;
}

function curve(a: GraphNode, b: GraphNode): string {
  const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2;
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

