import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { request } from '../api/client';
import type { JobExecution, RunDetail, RunEvent, StepAttempt, TemplateDetail } from '../api/types';
import { LongText } from '../components/free-text';
import { JsonView } from '../components/json-view';
import { Name } from '../components/name';
import { Empty, ErrorNotice, ownError, staleIf, unreachable } from '../components/notice';
import { type Column, StackedTable } from '../components/stacked-table';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { WaitingFor } from '../components/waiting-for';
import { useResource } from '../hooks/use-resource';
import { deadlineNote } from '../lib/deadline';
import { noUndoOf, planUrl } from '../lib/run-plan';
import { isTerminal } from '../lib/run-statuses';
import { serverNow } from '../lib/server-clock';
import { duration } from '../lib/time';
import { zoneHead } from '../lib/time-zone';
import { unsent } from '../lib/unsent';
import { Earlier, tableRows } from './not-shown';
import { RunActions } from './run-actions';
import { RunTimeline } from './run-timeline';

/** Unfinished runs refresh every 2 s; finished ones slowly, in case an operator acts elsewhere. */
const pollFor = (run: RunDetail | undefined) => (run && isTerminal(run.status) ? 10_000 : 2000);

/** A launch per row; on a phone, as labelled lines (StackedTable). */
const JOB_COLUMNS: Column<JobExecution>[] = [
  { head: 'Step', cell: (j) => <>{j.action} <Name of={j.stepName} /> #{j.attempt}</> },
  { head: 'Target', cell: (j) => <>{j.targetType} {j.resourceType ?? ''} {j.resourceId ?? ''} <span class="muted small">({j.connection})</span></> },
  { head: 'External id', class: 'mono', cell: (j) => `${j.externalJobType ? `${j.externalJobType} ` : ''}${j.externalJobId ?? '–'}` },
  { head: 'External status', cell: (j) => `${j.externalStatus ?? '–'}${j.externalResult ? ` / ${j.externalResult}` : ''}` },
  { head: 'Status', cell: (j) => <Status value={j.status} /> },
  { head: 'Launches / polls', cell: (j) => `${j.launchAttempts} / ${j.pollingAttempts}` },
  { head: 'Error', class: 'text', cell: (j) => (j.error ? <LongText text={j.error} /> : <span class="muted">–</span>) },
];

/**
 * The run's AWX/OO launches: polled while the run is unfinished, then read once more and left.
 * Greyed with the page (`stale`), or when their own read failed; what that read answered instead
 * is not: a refusal (a service's key may read the run, not its jobs) is Baton's answer, not the
 * last answer's data, and it dates the launches still shown.
 */
function Jobs({ flowId, finished, stale }: { flowId: string; finished: boolean; stale?: 'stale' }) {
  const url = `/api/job-executions/request/${flowId}`;
  const jobs = useResource(() => request<JobExecution[]>(url), url, finished ? undefined : 5000);
  // Baton unreachable is the page's to say: its run, read at least as often as the jobs, says it.
  const error = ownError(jobs);
  const shown = jobs.data?.length ? jobs.data : null;
  if (!error && !shown) return null;
  return (
    <>
      <h2 class={stale}>AWX / OO jobs</h2>
      <ErrorNotice error={error} polled={shown ? jobs : undefined} />
      {shown && <div class={staleIf(stale || jobs.error)}><StackedTable columns={JOB_COLUMNS} rows={shown} rowKey={(j) => j.id} testId="jobs" /></div>}
    </>
  );
}

/** A column of times, headed with their zone: `Dispatched (UTC+01:00)`, the zone's name in its tooltip. */
function zoneColumn(head: string, instants: readonly string[]): { head: string; title: string } {
  const zone = zoneHead(head, instants);
  return { head: zone.text, title: zone.title };
}

/** When it was sent; a never-sent attempt's dispatchedAt is the due time it never reached, or when it was owed or withdrawn (unsent). */
function dispatchedCell(s: StepAttempt) {
  const never = unsent(s);
  return never ? <span class="muted">{never.when} <Time at={s.dispatchedAt} /></span> : <Time at={s.dispatchedAt} />;
}

/** How long it ran; a never-sent attempt did not run, where its times would read "0 ms" (owed, withdrawn) or "–". */
function took(s: StepAttempt) {
  const never = unsent(s);
  if (never) return <span class="muted">{never.end}</span>;
  return s.completedAt ? duration(s.dispatchedAt, s.completedAt) : <span class="muted">deadline <Time at={s.deadlineAt} /></span>;
}

/**
 * An attempt per row, numbered from the first (`hidden` earlier ones left out); on a phone, as
 * labelled lines (StackedTable), so that status, time and error stay in view.
 */
export const attemptColumns = (hidden: number, shown: readonly StepAttempt[]): Column<StepAttempt>[] => [
  { head: '#', cell: (_, i) => hidden + i + 1 },
  { head: 'Action', cell: (s) => <span class={`act act-${s.action.toLowerCase()}`}>{s.action}</span> },
  { head: 'Step', cell: (s) => <Name of={s.stepName} /> },
  { head: 'Attempt', cell: (s) => s.attempt },
  { head: 'Status', cell: (s) => <Status value={s.status} /> },
  { head: 'Handler', cell: (s) => <>{s.handlerType}{s.target && <span class="muted small"> → {s.target}</span>}</> },
  { ...zoneColumn('Dispatched', shown.map((s) => s.dispatchedAt)), cell: dispatchedCell },
  {
    head: 'Took',
    cell: (s) => <>
      {took(s)}
      {s.lastHeartbeatAt && <div class="muted small">last heartbeat <Time at={s.lastHeartbeatAt} /></div>}
    </>,
  },
  {
    head: 'Output / error', class: 'text',
    cell: (s) => <>
      {/* A success whose output was dropped (refused, or too big to pass on): the run unwinds, this step too. */}
      {s.error && s.status === 'SUCCEEDED' && (s.output === null || s.output === undefined)
        && <div class="muted small" data-testid="output-dropped">output not kept</div>}
      {s.error && <LongText class="error-text" text={s.error} />}
      {s.output !== null && s.output !== undefined && <JsonView label="output" value={s.output} />}
    </>,
  },
];

function Attempts({ flowId, steps }: { flowId: string; steps: StepAttempt[] }) {
  const [all, showAll] = useState(false);
  const rows = tableRows(steps, all);
  const { shown, hidden } = rows;
  return (
    <>
      <Earlier rows={rows} what="attempts" flowId={flowId} onShow={() => showAll(true)} />
      <StackedTable columns={attemptColumns(hidden, shown)} rows={shown} rowKey={(s) => s.commandId}
        rowAttrs={(s) => ({ 'data-attempt-row': `${s.action} ${s.stepName}` })} testId="attempts" />
    </>
  );
}

/** An event per row; on a phone, as labelled lines (StackedTable), so that its reason is not cut off past a sideways scroll. */
const eventColumns = (shown: readonly RunEvent[]): Column<RunEvent>[] => [
  { ...zoneColumn('At', shown.map((e) => e.at)), cell: (e) => <Time at={e.at} /> },
  { head: 'Event', cell: (e) => e.kind },
  { head: 'Step', cell: (e) => (e.stepName ? <Name of={e.stepName} /> : <span class="muted">–</span>) },
  { head: 'Who', cell: (e) => (e.actor ? <Name of={e.actor} /> : <span class="muted">–</span>) },
  // An operator's reason may quote an address or an id with no space to wrap at.
  { head: 'Why', class: 'text', cell: (e) => <LongText text={e.reason} /> },
];

function Events({ flowId, events }: { flowId: string; events: RunEvent[] }) {
  const [all, showAll] = useState(false);
  const rows = tableRows(events, all);
  const { shown, hidden } = rows;
  return (
    <>
      <Earlier rows={rows} what="events" flowId={flowId} onShow={() => showAll(true)} />
      {/* Events have no id: a row is keyed by its place in the whole list, which only grows at its end. */}
      <StackedTable columns={eventColumns(shown)} rows={shown} rowKey={(_, i) => String(hidden + i)} testId="events" />
    </>
  );
}

export function RunDetailPage({ flowId }: { flowId: string }) {
  const url = `/api/orchestration/runs/${encodeURIComponent(flowId)}`;
  const res = useResource(() => request<RunDetail>(url), url, pollFor);
  const run = res.data;
  const templateUrl = run ? planUrl(run) : '';
  const template = useResource(() => (templateUrl ? request<TemplateDetail>(templateUrl) : Promise.resolve(undefined)), templateUrl);
  const noUndo = noUndoOf(template.data, run?.templateVersion ?? 0);
  if (res.error && !run) return <><h1>Run {flowId}</h1><ErrorNotice error={res.error} polled={res} /><p><Link href="/runs">All runs</Link></p></>;
  if (!run) return <p class="muted">Loading…</p>;
  // After a failed poll the run is the last answer's, greyed: a RUNNING or PAUSED must not read as current.
  const stale = staleIf(res.error);
  const deadline = deadlineNote(run);
  return (
    <>
      <nav class="crumbs"><Link href="/runs">Runs</Link> / <span class="mono">{run.flowId}</span></nav>
      <h1><Name of={run.orchName} /> <span class={stale}><Status value={run.status} /></span></h1>
      <ErrorNotice error={res.error} polled={res} />
      <div class={stale}>
        <dl class="facts">
          <dt>Template</dt><dd><Link href={`/templates/${encodeURIComponent(run.orchName)}?version=${run.templateVersion}`}><Name of={run.orchName} /> v{run.templateVersion}</Link></dd>
          <dt>Created</dt><dd><Time at={run.createdAt} /></dd>
          <dt>Finished</dt><dd>{run.finishedAt ? <><Time at={run.finishedAt} /> after {duration(run.createdAt, run.finishedAt)}</> : 'not yet'}</dd>
          <dt>Correlation id</dt><dd class="mono"><Link href={`/runs?correlationId=${encodeURIComponent(run.correlationId)}`}>{run.correlationId}</Link></dd>
          {run.failedStep && <><dt>Failed step</dt><dd><Name of={run.failedStep} /></dd></>}
          {run.error && <><dt>Error</dt><dd><LongText class="error-text" text={run.error} /></dd></>}
          {deadline && <><dt>Deadline</dt><dd data-testid="deadline"><Time at={deadline.at} />{deadline.when && <> ({deadline.when}){deadline.effect && `, ${deadline.effect}`}</>}</dd></>}
          {run.waitingFor && <><dt>Waiting for</dt><dd><WaitingFor run={run} /></dd></>}
        </dl>
      </div>
      {/* Not greyed: the buttons say for themselves why they wait, and what an action sent meanwhile came to is current. */}
      <RunActions run={run} noUndo={noUndo} reachable={!unreachable([res])} onDone={res.reload} />
      <div class={stale}>
        <h2>Timeline</h2>
        <RunTimeline flowId={run.flowId} steps={run.steps} events={run.events} now={serverNow()} />
        <h2>Attempts</h2>
        {run.steps.length === 0 ? <Empty>Nothing dispatched yet{run.waitingFor && <>: waiting for <WaitingFor run={run} /></>}.</Empty> : <Attempts flowId={run.flowId} steps={run.steps} />}
        <h2>Payload</h2>
        <JsonView label={`payload (${run.contentType}${run.payloadEncoding === 'base64' ? ', base64' : ''})`} value={run.payload} open />
        <h2>Events</h2>
        {run.events.length === 0 ? <p class="muted">No revival or operator action on this run.</p> : <Events flowId={run.flowId} events={run.events} />}
      </div>
      {/* Outside the greyed block: it greys its launches itself, not what Baton answered about them. */}
      <Jobs flowId={run.flowId} finished={isTerminal(run.status)} stale={stale} />
      {/* Greyed with the page, in a block of its own below the jobs; set apart from the table above it (the jobs' or the events'). */}
      <div class={stale ? 'below-table stale' : 'below-table'}><JsonView label="Run as JSON" value={run} /></div>
    </>
  );
}
