import { Link } from 'wouter-preact';
import { query, request } from '../api/client';
import type { Page, TemplateSummary } from '../api/types';
import { FreeText } from '../components/free-text';
import { Name } from '../components/name';
import { ErrorNotice, staleIf, unreachable } from '../components/notice';
import { PagedTable } from '../components/paged-table';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { useQueryState } from '../hooks/use-query-state';
import { useResource } from '../hooks/use-resource';
import { pageOfQuery } from '../lib/paging';
import { zoneHead } from '../lib/time-zone';

const PAGE_SIZE = 25;
const NOUN = ['template', 'templates'] as const;

export function TemplatesPage() {
  const [q, setQ] = useQueryState(['status', 'page'] as const);
  const page = pageOfQuery(q.page);
  const url = `/api/orchestration/templates${query({ status: q.status, page, pageSize: PAGE_SIZE })}`;
  const res = useResource(() => request<Page<TemplateSummary>>(url), url, 10_000);
  // No way to register offered while Baton is unreachable: nothing can be registered then.
  const down = unreachable([res]);
  return (
    <>
      <h1>Templates</h1>
      <div class="filters" role="search">
        <label>Status
          <select value={q.status} onChange={(e) => setQ({ status: e.currentTarget.value, page: '' })}>
            <option value="">any</option><option>READY</option><option>PENDING</option>
          </select>
        </label>
      </div>
      <ErrorNotice error={res.error} polled={res} />
      {/* After a failed poll the list is the last answer's, greyed, as a template's page is: a READY must not read as current. */}
      {res.data && <div class={staleIf(res.error)}>
        <PagedTable data={res.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQ({ page: String(p) })} noun={NOUN}
          head={['Template', 'Status', 'Version', 'Type', 'Owner', 'Missing steps', zoneHead('Updated', res.data.items.map((t) => t.updatedAt))]}
          empty={<>No template{q.status ? ` is ${q.status}` : ''}.{!down && <> Register one with <code>POST /api/orchestration/register</code> (see the README), or drop a YAML file in <code>definitions/</code>.</>}</>}
          row={(t) => (
            <tr key={t.orchName}>
              <td><Link href={`/templates/${encodeURIComponent(t.orchName)}`}><Name of={t.orchName} /></Link>{t.description && <div class="muted small desc clamp" title={t.description}><FreeText text={t.description} /></div>}</td>
              <td><Status value={t.status} /></td>
              <td>v{t.version}</td>
              <td>{t.type}</td>
              <td><Name of={t.ownerService} /></td>
              <td>{t.missingSteps.length ? <Name of={t.missingSteps.join(', ')} /> : <span class="muted">none</span>}</td>
              <td><Time at={t.updatedAt} /></td>
            </tr>
          )} />
      </div>}
    </>
  );
}
