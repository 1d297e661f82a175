import { GraphNode, NODE_W } from '../lib/graph-layout';

/** What the tip adds to its text's width: its padding and border (.graph-tip), and at most how wide it grows. */
const TIP_EXTRA_PX = 16;
const TIP_MAX_PX = 480;

/**
 * The whole name of a step whose box cuts it, laid over the cut name while the step is hovered or
 * focused. It grows rightwards when `room` (the graph's width in view) holds it, else leftwards
 * from the box's right edge, so that it never widens the graph into a sideways scroll. It lets
 * the pointer through: moving onto it must not count as leaving the step.
 */
export function StepNameTip({ node, id, nameWidth, room }: { node: GraphNode; id: string; nameWidth: number; room: number }) {
  const end = node.x + 2 + Math.min(nameWidth + TIP_EXTRA_PX, TIP_MAX_PX) > room;
  return (
    <div id={id} role="tooltip" class={`graph-tip ${end ? 'at-end' : ''}`} style={{ left: `${end ? node.x + NODE_W - 2 : node.x + 2}px`, top: `${node.y + 3}px` }}>
      {node.step.name}
    </div>
  );
}
