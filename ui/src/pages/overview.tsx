import { Link } from 'wouter-preact';
import { ApiError, query, request } from '../api/client';
import type { Page, RunStats, RunSummary } from '../api/types';
import { LongText } from '../components/free-text';
import { Name } from '../components/name';
import { Empty, ErrorNotice, ownError, staleIf, unreachable } from '../components/notice';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { WaitingFor } from '../components/waiting-for';
import { useResource } from '../hooks/use-resource';
import { healerSummary } from '../lib/healer-summary';
import { zoneHead } from '../lib/time-zone';
import { StatusChart } from './status-chart';

interface Indicator { status: 'up' | 'down'; [k: string]: unknown }
/** `details` only for a caller with a role; without one Baton tells the overall status alone. */
interface Health { status: string; details?: Record<string, Indicator>; message?: string }

/**
 * Health answers 503 when a dependency is down: that is data, not an error. Its body says which
 * (with a role), or only that one is, or that Baton is stopping.
 */
export async function loadHealth(): Promise<Health> {
  try {
    return await request<Health>('/api/orchestration/health');
  } catch (e) {
    if (e instanceof ApiError && e.status === 503) {
      const body = (e.body ?? {}) as Partial<Health>;
      return { status: typeof body.status === 'string' ? body.status : 'error', details: body.details, message: e.message };
    }
    throw e;
  }
}

/** `stale`: the card is the last answer's, after a failed poll: it says what was, not what is. */
function Card({ title, ok, stale, children }: { title: string; ok?: boolean; stale?: boolean; children: preact.ComponentChildren }) {
  return (
    <section class={`card ${ok === false ? 'down' : ok ? 'up' : ''}`} aria-label={title}>
      <h3>{title} {ok !== undefined && <span class={`badge ${ok ? 's-completed' : 's-failed'}`}>{stale ? 'was ' : ''}{ok ? 'up' : 'down'}</span>}</h3>
      {children}
    </section>
  );
}

/** Health without details (a caller without a role): the overall status, and nothing said of each dependency. */
function OverallHealth({ health, stale }: { health: Health; stale: boolean }) {
  const ok = health.status === 'ok';
  const said = ok ? 'Baton and its dependencies are up.'
    : health.status === 'degraded' ? 'Baton takes work, but its broker or healer is down: runs wait in the outbox until the broker is back.'
      : health.message ?? 'A dependency is down.';
  return (
    <div class="cards">
      <Card title="Baton" ok={ok} stale={stale}>
        <p>{said}</p>
        <p class="muted small">The database, broker, outbox and healer are detailed for a signed-in role only.</p>
      </Card>
    </div>
  );
}

/** up or down as the indicator says; undefined (no badge) for one the answer does not include. */
export const indicatorUp = (indicator: Indicator | undefined): boolean | undefined => (indicator ? indicator.status === 'up' : undefined);

function HealthCards({ health, stale }: { health: Health; stale: boolean }) {
  if (!health.details) return <OverallHealth health={health} stale={stale} />;
  const d = health.details;
  const db = d.database, msg = d.messaging, healer = d.healer;
  const outbox = msg?.outbox as { count: number; oldestAgeSeconds: number } | null | undefined;
  const last = healer?.lastSuccessAt as string | null | undefined;
  const counts = healer?.lastCounts as Record<string, number> | null | undefined;
  return (
    <div class="cards">
      <Card title="Database" ok={indicatorUp(db)} stale={stale}>{db?.message ? <p>{String(db.message)}</p> : <p>Reachable</p>}</Card>
      <Card title="Broker" ok={indicatorUp(msg)} stale={stale}>
        <p>{String(msg?.driver ?? '?')} · {msg?.connected ? 'connected' : 'not connected'}</p>
      </Card>
      <Card title="Outbox" ok={outbox ? outbox.oldestAgeSeconds < 60 : undefined} stale={stale}>
        {outbox ? <p><strong data-testid="outbox-backlog">{outbox.count}</strong> unsent · oldest {outbox.count ? `${outbox.oldestAgeSeconds.toFixed(1)} s old` : '–'}</p>
          : <p class="muted">Backlog unavailable</p>}
      </Card>
      <Card title="Healer" ok={indicatorUp(healer)} stale={stale}>
        <p>Last tick: {last ? <Time at={last} /> : 'not yet'}</p>
        {counts && <p class="muted" data-testid="healer-last-tick">{healerSummary(counts)}</p>}
        {Number(healer?.lastFailed) > 0 && <p class="warn-text">{String(healer?.lastFailed)} could not be healed in the last tick (see the logs)</p>}
        {healer?.lastError ? <LongText class="error-text" text={String(healer.lastError)} /> : null}
      </Card>
    </div>
  );
}

export function OverviewPage() {
  const health = useResource(loadHealth, 'health', 5000);
  const stats = useResource(() => request<RunStats>(`/api/orchestration/stats/runs${query({ minutes: 60, buckets: 30 })}`), 'stats', 10_000);
  const stuck = useResource(() => request<Page<RunSummary>>(`/api/orchestration/runs${query({ stuck: true, pageSize: 10 })}`), 'stuck', 5000);
  const down = unreachable([health, stats, stuck]);
  const change = zoneHead('Last change', stuck.data?.items.map((r) => r.updatedAt) ?? []);
  return (
    <>
      <h1>Overview</h1>
      <ErrorNotice error={down?.error} polled={down} />
      <ErrorNotice error={ownError(health)} polled={health} />
      {/* After a failed poll the cards are the last answer's, greyed: a green "up" must not outlive Baton. */}
      {health.data && <div class={staleIf(health.error)}><HealthCards health={health.data} stale={Boolean(health.error)} /></div>}
      <h2>Runs in the last hour</h2>
      <ErrorNotice error={ownError(stats)} polled={stats} />
      {stats.data && <div class={staleIf(stats.error)}><StatusChart stats={stats.data} offerDemo={!down} /></div>}
      <h2>Unfinished runs {stuck.data && <span class="count">{stuck.data.total}</span>}</h2>
      <ErrorNotice error={ownError(stuck)} polled={stuck} />
      {stuck.data && <div class={staleIf(stuck.error)}>{stuck.data.items.length === 0
        ? <Empty>No run is waiting.{!down && <> Start one with <code>POST /api/orchestration/execute/&lt;orchName&gt;</code>.</>}</Empty>
        : (
          <table class="grid">
            <thead><tr><th>Run</th><th>Template</th><th>Status</th><th title={`When the run last changed: its status, or a step. ${change.title}`}>{change.text}</th><th>Waiting for</th></tr></thead>
            <tbody>
              {stuck.data.items.map((r) => (
                <tr key={r.flowId}>
                  <td><Link href={`/runs/${r.flowId}`} class="mono">{r.flowId.slice(0, 8)}</Link></td>
                  <td><Link href={`/templates/${encodeURIComponent(r.orchName)}`}><Name of={r.orchName} /></Link></td>
                  <td><Status value={r.status} /></td>
                  <td><Time at={r.updatedAt} /></td>
                  <td><WaitingFor run={r} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}</div>}
      {stuck.data && stuck.data.total > stuck.data.items.length && <p><Link href="/runs?stuck=true">All {stuck.data.total} unfinished runs</Link></p>}
    </>
  );
}
