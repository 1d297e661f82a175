import { Link } from 'wouter-preact';
import { query, request } from '../api/client';
import type { Page, RunSummary, TemplateSummary } from '../api/types';
import { CreatedRange, RangeProblem } from '../components/created-range';
import { FilterInput } from '../components/filter-input';
import { GoToRun } from '../components/go-to-run';
import { Name } from '../components/name';
import { ErrorNotice, staleIf, unreachable } from '../components/notice';
import { PagedTable } from '../components/paged-table';
import type { Column } from '../components/stacked-table';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { WaitingFor } from '../components/waiting-for';
import { useQueryState } from '../hooks/use-query-state';
import { nextPoll, useResource } from '../hooks/use-resource';
import { pageOfQuery } from '../lib/paging';
import { ariaSort, ORDER_LABELS, orderParam, RUN_ORDERS, type RunOrder, runOrder } from '../lib/run-order';
import { runDuration } from '../lib/run-duration';
import { RUN_STATUSES } from '../lib/run-statuses';
import { zoneHead } from '../lib/time-zone';
import { waitParts } from '../lib/waits';

const PAGE_SIZE = 25;
/** Short polling: see README (the console section) for why not SSE. */
const POLL_MS = 2000;
const FILTERS = ['orchName', 'status', 'from', 'to', 'correlationId', 'idempotencyKey', 'stuck'] as const;
const KEYS = [...FILTERS, 'order', 'page'] as const;
const NOUN = ['run', 'runs'] as const;
/** Template names offered in the filter: the API's largest page, which covers any ordinary deployment. */
const TEMPLATES_URL = `/api/orchestration/templates${query({ pageSize: 500 })}`;

/**
 * Whether the list refreshes: `live` while its reads answer, `retrying` while they fail and are
 * asked again (Baton unreachable, a 5xx), `stopped` after an answer asking again will not change
 * (a 400 for a bad filter: nextPoll stops the polling).
 */
export function liveState(read: { error?: Error }, every: number): 'live' | 'retrying' | 'stopped' {
  if (!read.error) return 'live';
  return nextPoll(every, undefined, read.error) === undefined ? 'stopped' : 'retrying';
}

function LiveBadge({ state, every }: { state: 'live' | 'retrying' | 'stopped'; every: number }) {
  if (state === 'stopped') return <span class="live stopped" title="Baton refused this list: change the filters, or reload the page">not refreshing</span>;
  if (state === 'retrying') return <span class="live retrying" title={`Asked again every ${every / 1000} s`}>retrying</span>;
  return <span class="live" title={`Refreshed every ${every / 1000} s`}>live</span>;
}

/** How long a run took; while it has not finished, the time so far, muted, with why on hover (runDuration). */
function Duration({ run }: { run: RunSummary }) {
  const d = runDuration(run);
  return <span class={d.open ? 'muted' : undefined} title={d.title}>{d.text}</span>;
}

/**
 * A run per row; on a phone, a compact card per run (StackedTable's `cardLayout`, .run-cards in
 * styles.css): its flowId, status and duration, then its template and creation time, then the
 * step it failed at or what it waits for, only when it has one. The correlation id (up to 128
 * characters) is left to the run's page.
 */
function runColumns(items: RunSummary[], order: RunOrder, unfinishedOnly: boolean): Column<RunSummary>[] {
  const created = zoneHead('Created', items.map((r) => r.createdAt));
  return [
    { head: 'Run', area: 'run', cell: (r) => <Link href={`/runs/${r.flowId}`} class="mono" title={r.flowId}>{r.flowId.slice(0, 8)}</Link> },
    {
      head: 'Template', area: 'template',
      cell: (r) => <><Link href={`/templates/${encodeURIComponent(r.orchName)}?version=${r.templateVersion}`}><Name of={r.orchName} /></Link> <span class="muted small">v{r.templateVersion}</span></>,
    },
    { head: 'Status', area: 'status', cell: (r) => <Status value={r.status} /> },
    { head: created.text, title: created.title, sort: ariaSort(order), area: 'created', cell: (r) => <Time at={r.createdAt} /> },
    { head: 'Duration', area: 'duration', cell: (r) => <Duration run={r} /> },
    { head: 'Failed step', area: 'failed', blank: (r) => !r.failedStep, cell: (r) => (r.failedStep ? <Name of={r.failedStep} /> : <span class="muted">–</span>) },
    { head: 'Correlation id', class: 'mono small', cell: (r) => r.correlationId },
    ...(unfinishedOnly ? [{ head: 'Waiting for', area: 'waiting', blank: (r: RunSummary) => waitParts(r).length === 0, cell: (r: RunSummary) => <WaitingFor run={r} /> }] : []),
  ];
}

export function RunsPage() {
  const [q, setQ] = useQueryState(KEYS);
  const page = pageOfQuery(q.page);
  const unfinishedOnly = q.stuck === 'true';
  const order = runOrder(q.order, unfinishedOnly);
  // The order is always sent: Baton's default differs with `stuck` (the console's does likewise, said by the select).
  const url = `/api/orchestration/runs${query({
    orchName: q.orchName, status: q.status, from: q.from, to: q.to, correlationId: q.correlationId,
    idempotencyKey: q.idempotencyKey, stuck: unfinishedOnly || undefined, order, page, pageSize: PAGE_SIZE,
  })}`;
  const res = useResource(() => request<Page<RunSummary>>(url), url, POLL_MS);
  const templates = useResource(() => request<Page<TemplateSummary>>(TEMPLATES_URL), TEMPLATES_URL);
  const text = (key: 'orchName' | 'correlationId' | 'idempotencyKey', label: string, max: number, list?: string) => (
    <FilterInput label={label} value={q[key]} maxLength={max} list={list} onApply={(v, how) => setQ({ [key]: v, page: '' }, how)} />
  );
  const filtered = FILTERS.some((k) => q[k]);
  // No demo offered while Baton is unreachable: it cannot be run then.
  const down = unreachable([res]);
  // The order is no filter: clearing the filters keeps it.
  const clear = () => setQ({ ...Object.fromEntries(FILTERS.map((k) => [k, ''])), page: '' });
  return (
    <>
      {/* A green "live" beside "Baton is unreachable", or beside a refusal that stopped the polling, would say the opposite of the notice. */}
      <h1>Runs <LiveBadge state={liveState(res, POLL_MS)} every={POLL_MS} /></h1>
      <GoToRun />
      <form class="filters" role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        {text('orchName', 'Template', 200, 'template-names')}
        <datalist id="template-names">{templates.data?.items.map((t) => <option key={t.orchName} value={t.orchName} />)}</datalist>
        <label>Status
          <select value={q.status} onChange={(e) => setQ({ status: e.currentTarget.value, page: '' })}>
            <option value="">any</option>
            {RUN_STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <CreatedRange from={q.from} to={q.to} label="Created from" onChange={(range) => setQ({ ...range, page: '' })} />
        {text('correlationId', 'Correlation id', 128)}
        {text('idempotencyKey', 'Idempotency key', 255)}
        <label class="check"><input type="checkbox" checked={unfinishedOnly} onChange={(e) => setQ({ stuck: e.currentTarget.checked ? 'true' : '', page: '' })} /> unfinished only</label>
        <label>Order
          <select value={order} onChange={(e) => setQ({ order: orderParam(e.currentTarget.value as RunOrder, unfinishedOnly), page: '' })}>
            {RUN_ORDERS.map((o) => <option key={o} value={o}>{ORDER_LABELS[o]}</option>)}
          </select>
        </label>
        {filtered && <button type="button" class="link" onClick={clear}>clear filters</button>}
      </form>
      <p class="muted small filters-hint">Text filters apply as you type; the template, correlation id and idempotency key must match exactly.</p>
      <RangeProblem from={q.from} to={q.to} noun={NOUN} />
      <ErrorNotice error={res.error} polled={res} />
      {/* After a failed poll the list is the last answer's, greyed, as a run's page is: a RUNNING must not read as current. */}
      {res.data && <div class={staleIf(res.error)}>
        <PagedTable data={res.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQ({ page: String(p) })} testId="runs"
          noun={NOUN} reach="Filter the list, or change its order, to reach them." cardLayout="run-cards"
          columns={runColumns(res.data.items, order, unfinishedOnly)} rowKey={(r) => r.flowId} rowAttrs={(r) => ({ 'data-flow-id': r.flowId })}
          empty={filtered ? <>No run matches these filters. <button type="button" class="link" onClick={clear}>Clear the filters</button>.</>
            : <>No run yet.{!down && <> Start one with <code>POST /api/orchestration/execute/&lt;orchName&gt;</code>, e.g. the demo: <code>curl -X POST localhost:3000/api/orchestration/execute/demoOrder -H 'Content-Type: application/json' -d '{'{'}"orderId":42{'}'}'</code></>}</>} />
      </div>}
    </>
  );
}
