import { useEffect, useState } from 'preact/hooks';
import type { ServicePresence, TemplateGraph, TemplateStep, TemplateType, Worker } from '../api/types';
import { useWidth } from '../hooks/use-width';
import { fitText } from '../lib/fit-text';
import { layoutGraph, NODE_W } from '../lib/graph-layout';
import { textWidth } from '../lib/text-width';
import { StepNameTip } from './step-name-tip';
import { StepNode } from './step-node';

/** Room for a step's name in its box: the box less the name's inset (x=10) on either side. */
const NAME_PX = NODE_W - 20;
const TIP_ID = 'step-name-tip';
/** A node name's font, as `.graph .name` sets it (styles.css), to measure names by. */
const nameFont = () => `600 13px ${getComputedStyle(document.documentElement).fontFamily}`;

/** The template's steps as a graph: columns are stages (or DAG layers), edges what runs after what. */
export function StepGraph({ steps, type, graph, workers, missing, presence }: {
  steps: TemplateStep[]; type: TemplateType; graph?: TemplateGraph; workers: Worker[]; missing: string[];
  presence?: ReadonlyMap<string, ServicePresence | null>;
}) {
  const g = layoutGraph(steps, type, graph);
  const [tip, setTip] = useState<string | null>(null);
  const [canvasRef, room] = useWidth<HTMLDivElement>();
  // Escape hides the whole name again without moving the pointer or the focus (WCAG 1.4.13).
  useEffect(() => {
    if (tip === null) return undefined;
    const hide = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setTip(null);
    };
    document.addEventListener('keydown', hide);
    return () => document.removeEventListener('keydown', hide);
  }, [tip]);
  const font = nameFont();
  const tipNode = g.nodes.find((n) => n.step.name === tip);
  return (
    <figure class="graph">
      <div class="graph-canvas" ref={canvasRef}>
        <svg viewBox={`0 0 ${g.width} ${g.height}`} width={g.width} height={g.height} role="group"
          aria-label={`Steps of the template: ${g.columns.map((c) => c.label).join(', ')}`}>
          <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" /></marker></defs>
          {g.columns.map((c) => <text key={c.label} x={c.x} y="26" class="col">{c.label}</text>)}
          {g.edges.map((e) => <path key={`${e.from}>${e.to}`} d={e.path} class="edge" marker-end="url(#arrow)" data-edge={`${e.from}>${e.to}`} />)}
          {g.nodes.map((n) => (
            <StepNode key={n.step.name} node={n} shown={fitText(n.step.name, NAME_PX, (s) => textWidth(s, font))}
              lacking={missing.includes(n.step.name)} registered={workers.filter((w) => w.stepName === n.step.name)} presence={presence}
              tipId={tip === n.step.name ? TIP_ID : undefined} onTip={setTip} />
          ))}
        </svg>
        {tipNode && <StepNameTip node={tipNode} id={TIP_ID} nameWidth={textWidth(tipNode.step.name, font)} room={room} />}
      </div>
    </figure>
  );
}
