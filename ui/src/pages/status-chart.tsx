import type { RunStats } from '../api/types';
import { layoutStatusChart, throughputPerMinute } from '../lib/status-chart';
import { localTime, utcTime } from '../lib/time';
import { Empty } from '../components/notice';

const W = 1200;
const H = 160;

/** `offerDemo`: false while Baton is unreachable, when the demo cannot be run. */
export function StatusChart({ stats, offerDemo }: { stats: RunStats; offerDemo: boolean }) {
  const { columns, max, statuses } = layoutStatusChart(stats, W, H);
  const total = Object.values(stats.totals).reduce((a, b) => a + b, 0);
  if (total === 0 && columns.every((c) => c.finished === 0)) {
    return <Empty>No run in the last hour.{offerDemo && <> Try the demo: <code>curl -X POST localhost:3000/api/orchestration/execute/demoOrder -H 'Content-Type: application/json' -d '{"{"}"orderId":42{"}"}'</code></>}</Empty>;
  }
  const line = columns.map((c, i) => `${i ? 'L' : 'M'}${c.x + c.width / 2},${c.finishedY}`).join(' ');
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-label={`Runs created per ${stats.bucketSeconds / 60} minutes by status, and runs finished`}>
        <line x1="0" x2={W} y1={H} y2={H} class="axis" />
        {columns.map((c) => (
          <g key={c.start}>
            <title>{`${localTime(c.start)} (${utcTime(c.start)})\n${c.segments.map((s) => `${s.status} ${s.count}`).join('\n') || 'no run created'}\nfinished ${c.finished}`}</title>
            <rect x={c.x} y={0} width={c.width} height={H} class="hover" />
            {c.segments.map((s) => <rect key={s.status} x={c.x} y={s.y} width={c.width} height={s.height} class={`fill s-${s.status.toLowerCase()}`} />)}
          </g>
        ))}
        <path d={line} class="throughput" />
        <text x="2" y="12" class="tick">{max}</text>
        <text x="2" y={H + 16} class="tick">{localTime(stats.from)}</text>
        <text x={W - 2} y={H + 16} class="tick" text-anchor="end">now</text>
      </svg>
      <figcaption>
        <span>Throughput: <strong>{throughputPerMinute(stats).toFixed(1)}</strong> runs finished per minute</span>
        {statuses.map((s) => <span key={s} class="legend"><i class={`fill s-${s.toLowerCase()}`} />{s} {stats.totals[s] ?? 0}</span>)}
        <span class="legend"><i class="line" />finished</span>
      </figcaption>
    </figure>
  );
}
