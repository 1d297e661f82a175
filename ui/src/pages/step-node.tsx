import type { ServicePresence, Worker } from '../api/types';
import { GraphNode, NODE_H, NODE_W } from '../lib/graph-layout';
import { liveCount } from '../lib/live-workers';
import { handlerOf, undoOf } from '../lib/step-handler';

/**
 * One step of the graph. Its name is drawn as `shown` (cut to fit the box): whole in its
 * accessible name, and, when cut, a tab stop that asks for the whole name on hover and on focus
 * (`onTip`), so that a keyboard can read what a mouse can. `tipId`: the tooltip it shows now.
 */
export function StepNode({ node, shown, lacking, registered, presence, tipId, onTip }: {
  node: GraphNode; shown: string; lacking: boolean; registered: Worker[]; presence?: ReadonlyMap<string, ServicePresence | null>;
  tipId?: string; onTip: (name: string | null) => void;
}) {
  const { step } = node;
  const count = registered.length;
  // Zero is not drawn: a worker that reports no presence (the demo worker, a hand-written one) may be running.
  const live = liveCount(registered, presence);
  const workers = handlerOf(step) !== 'worker' ? 'built-in' : lacking ? 'no worker registered'
    : `${count} worker${count === 1 ? '' : 's'} registered${live ? `, ${live} live` : ''}`;
  const cut = shown !== step.name;
  const show = cut ? () => onTip(step.name) : undefined;
  const hide = () => onTip(null);
  return (
    <g transform={`translate(${node.x},${node.y})`} class={`node ${lacking ? 'missing' : ''}`} data-step={step.name}
      role="img" aria-label={`${step.name}: do ${handlerOf(step)}, undo ${undoOf(step)}; ${workers}`} aria-describedby={tipId}
      tabIndex={cut ? 0 : undefined} onMouseEnter={show} onMouseLeave={hide} onFocus={show} onBlur={hide}>
      <rect width={NODE_W} height={NODE_H} rx="6" />
      <text x="10" y="20" class="name">{shown}</text>
      <text x="10" y="37" class="meta">do: {handlerOf(step)} · undo: {undoOf(step)}</text>
      <text x="10" y="53" class="meta">{workers}</text>
    </g>
  );
}
