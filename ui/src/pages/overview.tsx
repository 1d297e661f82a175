import { Link } from 'wouter-preact';
import { ApiError, query, request } from '../api/client';
import type { Page, RunStats, RunSummary } from '../api/types';
import { Empty, ErrorNotice } from '../components/notice';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { WaitingFor } from '../components/waiting-for';
import { useResource } from '../hooks/use-resource';
import { healerSummary } from '../lib/healer-summary';
import { StatusChart } from './status-chart';

interface Indicator { status: 'up' | 'down'; [k: string]: unknown }
interface Health { status: string; details?: Record<string, Indicator> }

/** Health answers 503 with the same body when a dependency is down: that is data, not an error. */
async function loadHealth(): Promise<Health> {
  try {
    return await request<Health>('/api/orchestration/health');
  } catch (e) {
    if (e instanceof ApiError && e.status === 503) {
      const res = await fetch('/api/orchestration/health');
      return (await res.json()) as Health;
    }
    throw e;
  }
}

function Card({ title, ok, children }: { title: string; ok?: boolean; children: preact.ComponentChildren }) {
  return (
    <section class={`card ${ok === false ? 'down' : ok ? 'up' : ''}`} aria-label={title}>
      <h3>{title} {ok !== undefined && <span class={`badge ${ok ? 's-completed' : 's-failed'}`}>{ok ? 'up' : 'down'}</span>}</h3>
      {children}
    </section>
  );
}

function HealthCards({ health }: { health: Health }) {
  const d = health.details ?? {};
  const db = d.database, msg = d.messaging, healer = d.healer;
  const outbox = msg?.outbox as { count: number; oldestAgeSeconds: number } | null | undefined;
  const last = healer?.lastSuccessAt as string | null | undefined;
  const counts = healer?.lastCounts as Record<string, number> | null | undefined;
  return (
    <div class="cards">
      <Card title="Database" ok={db?.status === 'up'}>{db?.message ? <p>{String(db.message)}</p> : <p>Reachable</p>}</Card>
      <Card title="Broker" ok={msg?.status === 'up'}>
        <p>{String(msg?.driver ?? '?')} · {msg?.connected ? 'connected' : 'not connected'}</p>
      </Card>
      <Card title="Outbox" ok={outbox ? outbox.oldestAgeSeconds < 60 : undefined}>
        {outbox ? <p><strong data-testid="outbox-backlog">{outbox.count}</strong> unsent · oldest {outbox.count ? `${outbox.oldestAgeSeconds.toFixed(1)} s old` : '–'}</p>
          : <p class="muted">Backlog unavailable</p>}
      </Card>
      <Card title="Healer" ok={healer?.status === 'up'}>
        <p>Last tick: {last ? <Time at={last} /> : 'not yet'}</p>
        {counts && <p class="muted" data-testid="healer-last-tick">{healerSummary(counts)}</p>}
        {Number(healer?.lastFailed) > 0 && <p class="warn-text">{String(healer?.lastFailed)} could not be healed in the last tick (see the logs)</p>}
        {healer?.lastError ? <p class="error-text">{String(healer.lastError)}</p> : null}
      </Card>
    </div>
  );
}

export function OverviewPage() {
  const health = useResource(loadHealth, 'health', 5000);
  const stats = useResource(() => request<RunStats>(`/api/orchestration/stats/runs${query({ minutes: 60, buckets: 30 })}`), 'stats', 10_000);
  const stuck = useResource(() => request<Page<RunSummary>>(`/api/orchestration/runs${query({ stuck: true, pageSize: 10 })}`), 'stuck', 5000);
  return (
    <>
      <h1>Overview</h1>
      <ErrorNotice error={health.error} />
      {health.data && <HealthCards health={health.data} />}
      <h2>Runs in the last hour</h2>
      <ErrorNotice error={stats.error} />
      {stats.data && <StatusChart stats={stats.data} />}
      <h2>Unfinished runs {stuck.data && <span class="count">{stuck.data.total}</span>}</h2>
      <ErrorNotice error={stuck.error} />
      {stuck.data && (stuck.data.items.length === 0
        ? <Empty>No run is waiting. Start one with <code>POST /api/orchestration/execute/&lt;orchName&gt;</code>.</Empty>
        : (
          <table class="grid">
            <thead><tr><th>Run</th><th>Template</th><th>Status</th><th>Since</th><th>Waiting for</th></tr></thead>
            <tbody>
              {stuck.data.items.map((r) => (
                <tr key={r.flowId}>
                  <td><Link href={`/runs/${r.flowId}`} class="mono">{r.flowId.slice(0, 8)}</Link></td>
                  <td>{r.orchName}</td>
                  <td><Status value={r.status} /></td>
                  <td><Time at={r.createdAt} /></td>
                  <td><WaitingFor run={r} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {stuck.data && stuck.data.total > stuck.data.items.length && <p><Link href="/runs?stuck=true">All {stuck.data.total} unfinished runs</Link></p>}
    </>
  );
}
