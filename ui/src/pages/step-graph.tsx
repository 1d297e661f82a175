import type { ServicePresence, TemplateGraph, TemplateStep, TemplateType, Worker } from '../api/types';
import { layoutGraph, NODE_H, NODE_W } from '../lib/graph-layout';
import { liveCount } from '../lib/live-workers';
import { handlerOf, undoOf } from '../lib/step-handler';

/** The template's steps as a graph: columns are stages (or DAG layers), edges what runs after what. */
export function StepGraph({ steps, type, graph, workers, missing, presence }: {
  steps: TemplateStep[]; type: TemplateType; graph?: TemplateGraph; workers: Worker[]; missing: string[];
  presence?: ReadonlyMap<string, ServicePresence | null>;
}) {
  const g = layoutGraph(steps, type, graph);
  return (
    <figure class="graph">
      <svg viewBox={`0 0 ${g.width} ${g.height}`} width={g.width} height={g.height} role="img"
        aria-label={`Steps of the template: ${g.columns.map((c) => c.label).join(', ')}`}>
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" /></marker></defs>
        {g.columns.map((c) => <text key={c.label} x={c.x} y="26" class="col">{c.label}</text>)}
        {g.edges.map((e) => <path key={`${e.from}>${e.to}`} d={e.path} class="edge" marker-end="url(#arrow)" data-edge={`${e.from}>${e.to}`} />)}
        {g.nodes.map((n) => {
          const lacking = missing.includes(n.step.name);
          const registered = workers.filter((w) => w.stepName === n.step.name);
          const count = registered.length;
          // Zero is not drawn: a worker that reports no presence (the demo worker, a hand-written one) may be running.
          const live = liveCount(registered, presence);
          return (
            <g key={n.step.name} transform={`translate(${n.x},${n.y})`} class={`node ${lacking ? 'missing' : ''}`} data-step={n.step.name}>
              <title>{`${n.step.name}: ${handlerOf(n.step)}; undo ${undoOf(n.step)}${lacking ? '; no worker registered' : ''}`}</title>
              <rect width={NODE_W} height={NODE_H} rx="6" />
              <text x="10" y="20" class="name">{n.step.name}</text>
              <text x="10" y="37" class="meta">do: {handlerOf(n.step)} · undo: {undoOf(n.step)}</text>
              <text x="10" y="53" class="meta">{handlerOf(n.step) !== 'worker' ? 'built-in' : lacking ? 'no worker registered' : `${count} worker${count === 1 ? '' : 's'} registered${live ? `, ${live} live` : ''}`}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
