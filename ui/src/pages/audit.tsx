import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { query, request } from '../api/client';
import type { AuditEntry, Page } from '../api/types';
import { FilterInput } from '../components/filter-input';
import { FreeText } from '../components/free-text';
import { Name } from '../components/name';
import { Empty, ErrorNotice, staleIf } from '../components/notice';
import { Pager } from '../components/pager';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { useQueryState } from '../hooks/use-query-state';
import { useResource } from '../hooks/use-resource';
import { annotateDocument } from '../lib/problem-lines';
import { pageOfQuery } from '../lib/paging';
import { localTime } from '../lib/time';
import { zoneHead } from '../lib/time-zone';

const PAGE_SIZE = 25;
const NOUN = ['registration attempt', 'registration attempts'] as const;

function Annotated({ entry }: { entry: AuditEntry }) {
  const { lines, unplaced } = annotateDocument(entry.document ?? '', entry.problems ?? []);
  return (
    <div class="annotated">
      {unplaced.length > 0 && <ul class="problems">{unplaced.map((p, i) => <li key={i}><code>{p.path || '(document)'}</code> {p.message}</li>)}</ul>}
      {entry.document !== null && (
        <ol class="doc">
          {lines.map((l) => (
            <li key={l.number} class={l.problems.length ? 'bad' : ''} value={l.number}>
              <code>{l.text || ' '}</code>
              {l.problems.map((p, i) => <div key={i} class="problem" role="note">↑ {p.column ? `col ${p.column}: ` : ''}{p.path ? <code>{p.path}</code> : null} {p.message}</div>)}
            </li>
          ))}
        </ol>
      )}
      {entry.documentTruncated && <p class="muted">The document was longer than Baton keeps; the rest is not shown.</p>}
    </div>
  );
}

/**
 * What a row's document button opens, for a screen reader's list of buttons: 25 buttons all
 * named "document" said nothing of which attempt each one shows.
 */
export const documentOf = (e: Pick<AuditEntry, 'orchName' | 'serviceName' | 'createdAt'>): string =>
  `document of ${e.orchName ?? 'an unnamed template'} by ${e.serviceName ?? 'an unknown service'} at ${localTime(e.createdAt)}`;

/**
 * The template an attempt named, linked when the attempt registered it (accepted or unchanged):
 * a refused one may name a template that does not exist, whose link led to "No template named …".
 */
function TemplateName({ entry }: { entry: AuditEntry }) {
  const name = <Name of={entry.orchName!} />;
  return entry.outcome === 'REJECTED' ? name : <Link href={`/templates/${encodeURIComponent(entry.orchName!)}`}>{name}</Link>;
}

export function AuditList({ entries }: { entries: AuditEntry[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (entries.length === 0) return <Empty>No registration attempt matches.</Empty>;
  const at = zoneHead('At', entries.map((e) => e.createdAt));
  return (
    <table class="grid">
      <thead><tr><th title={at.title}>{at.text}</th><th>Outcome</th><th>Template</th><th>Service</th><th>As</th><th>Source</th><th>Reason</th><th /></tr></thead>
      <tbody>
        {entries.map((e) => [
          <tr key={e.id}>
            <td><Time at={e.createdAt} /></td>
            <td><Status value={e.outcome} /></td>
            <td>{e.orchName ? <TemplateName entry={e} /> : '–'}{e.templateVersion ? ` v${e.templateVersion}` : ''}</td>
            <td>{e.serviceName ? <Name of={e.serviceName} /> : '–'}</td>
            <td>{e.role ?? '–'}</td>
            <td>{e.source}</td>
            <td class="text">{e.reason ? <FreeText text={e.reason} /> : ''}{e.problems?.length ? ` (${e.problems.length} problem${e.problems.length > 1 ? 's' : ''})` : ''}</td>
            <td>{(e.document || e.problems?.length) && (
              <button type="button" class="link" aria-expanded={open === e.id} aria-label={`${open === e.id ? 'hide ' : ''}${documentOf(e)}`}
                onClick={() => setOpen(open === e.id ? null : e.id)}>
                {open === e.id ? 'hide' : 'document'}
              </button>
            )}</td>
          </tr>,
          open === e.id && <tr key={`${e.id}-doc`} class="expanded"><td colSpan={8}><Annotated entry={e} /></td></tr>,
        ])}
      </tbody>
    </table>
  );
}

export function AuditPage() {
  const [q, setQ] = useQueryState(['orchName', 'serviceName', 'outcome', 'page'] as const);
  const page = pageOfQuery(q.page);
  const url = `/api/orchestration/registrations/audit${query({ orchName: q.orchName, serviceName: q.serviceName, outcome: q.outcome, page, pageSize: PAGE_SIZE })}`;
  const res = useResource(() => request<Page<AuditEntry>>(url), url, 10_000);
  const text = (key: 'orchName' | 'serviceName', label: string) => (
    <FilterInput label={label} value={q[key]} maxLength={200} onApply={(v, how) => setQ({ [key]: v, page: '' }, how)} />
  );
  return (
    <>
      <h1>Registration audit</h1>
      <div class="filters" role="search">
        {text('orchName', 'Template')}
        {text('serviceName', 'Service')}
        <label>Outcome
          <select value={q.outcome} onChange={(e) => setQ({ outcome: e.currentTarget.value, page: '' })}>
            <option value="">any</option><option>ACCEPTED</option><option>UNCHANGED</option><option>REJECTED</option>
          </select>
        </label>
      </div>
      <ErrorNotice error={res.error} polled={res} />
      {/* After a failed poll the list is the last answer's, greyed, as the runs list is: an attempt missing from it may have come since. */}
      {res.data && <div class={staleIf(res.error)}>
        <AuditList entries={res.data.items} />
        {res.data.total > 0 && <Pager page={page} pageSize={PAGE_SIZE} total={res.data.total} onPage={(p) => setQ({ page: String(p) })} noun={NOUN} />}
      </div>}
    </>
  );
}
