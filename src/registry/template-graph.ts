import type { TemplateType } from './entities/orchestration-template.entity';

export interface GraphStep {
  name: string;
  seq: number;
  dependsOn?: readonly string[] | null;
  handler: { type: string };
}

export interface TemplateGraph {
  nodes: Array<{ name: string; seq: number; handler: string }>;
  /** `from` must be done before `to` starts. */
  edges: Array<{ from: string; to: string }>;
}

/**
 * A template version as a graph a UI can draw: a DAG's own dependencies; for a sequential
 * template, every step of a stage before every step of the next stage; none for a parallel one.
 */
export function templateGraph(type: TemplateType, steps: readonly GraphStep[]): TemplateGraph {
  const nodes = steps.map((s) => ({ name: s.name, seq: s.seq, handler: s.handler.type }));
  if (type === 'dag') return { nodes, edges: steps.flatMap((s) => (s.dependsOn ?? []).map((d) => ({ from: d, to: s.name }))) };
  if (type === 'parallel') return { nodes, edges: [] };
  const stages = [...new Set(steps.map((s) => s.seq))].sort((a, b) => a - b);
  const edges = stages.slice(1).flatMap((seq, i) => {
    const before = steps.filter((s) => s.seq === stages[i]);
    return steps.filter((s) => s.seq === seq).flatMap((to) => before.map((from) => ({ from: from.name, to: to.name })));
  });
  return { nodes, edges };
}
