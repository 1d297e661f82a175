import { query, request } from '../api/client';
import type { Page, SecurityAuditEntry } from '../api/types';
import { CreatedRange, RangeProblem } from '../components/created-range';
import { FilterInput } from '../components/filter-input';
import { FreeText, LongText } from '../components/free-text';
import { Name } from '../components/name';
import { staleIf } from '../components/notice';
import { PagedTable } from '../components/paged-table';
import { AdminPage, ReadNotice } from '../components/role-notice';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { useQueryState } from '../hooks/use-query-state';
import { useResource } from '../hooks/use-resource';
import { pageOfQuery } from '../lib/paging';
import { actorOf, EVENT_LABELS, principalFilter, SECURITY_EVENTS } from '../lib/security-audit';
import { zoneHead } from '../lib/time-zone';

const PAGE_SIZE = 25;
const NOUN = ['event', 'events'] as const;
const POLL_MS = 10_000;
const FILTERS = ['event', 'principalId', 'from', 'to'] as const;
const KEYS = [...FILTERS, 'page'] as const;

/** Who a row names: what a credential proved, or only claimed (the key's prefix, whose secret did not prove it), or no one. */
function Actor({ entry }: { entry: SecurityAuditEntry }) {
  const actor = actorOf(entry);
  if (actor.kind === 'none') return <span class="muted">no credential</span>;
  if (actor.kind === 'cli') return <span title="npm run keys, on Baton's host">npm run keys</span>;
  if (actor.kind === 'claimed') {
    return (
      <span data-actor="claimed">
        <code><FreeText text={actor.id} /></code>{' '}
        <span class="muted small" title="The prefix of the key sent: its secret did not match, or the key is revoked or expired">claimed, not proven</span>
      </span>
    );
  }
  return <span data-actor="proven"><code><FreeText text={actor.id} /></code> <span class="muted small">{actor.as}</span></span>;
}

function SecurityAudit() {
  const [q, setQ] = useQueryState(KEYS);
  const page = pageOfQuery(q.page);
  const url = `/api/admin/security-audit${query({ event: q.event, principalId: q.principalId, from: q.from, to: q.to, page, pageSize: PAGE_SIZE })}`;
  const res = useResource(() => request<Page<SecurityAuditEntry>>(url), url, POLL_MS);
  const filtered = FILTERS.some((k) => q[k]);
  const clear = () => setQ({ ...Object.fromEntries(FILTERS.map((k) => [k, ''])), page: '' });
  return (
    <>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Event
          <select value={q.event} onChange={(e) => setQ({ event: e.currentTarget.value, page: '' })}>
            <option value="">any</option>
            {SECURITY_EVENTS.map((ev) => <option key={ev} value={ev}>{ev} ({EVENT_LABELS[ev]})</option>)}
          </select>
        </label>
        {/* A whole key pasted is cut to its prefix before it reaches the address bar (principalFilter). */}
        <FilterInput label="Key prefix or jwt:subject" value={q.principalId} maxLength={200}
          onApply={(v, how) => setQ({ principalId: principalFilter(v), page: '' }, how)} />
        <CreatedRange from={q.from} to={q.to} label="From" onChange={(range) => setQ({ ...range, page: '' })} />
        {filtered && <button type="button" class="link" onClick={clear}>clear filters</button>}
      </form>
      <p class="muted small filters-hint">Newest first. The key prefix or token subject must match exactly; a whole key pasted there is cut to its prefix.</p>
      <RangeProblem from={q.from} to={q.to} noun={NOUN} />
      <ReadNotice read={res} what="The security audit is" need="for admins only" />
      {res.data && <div class={staleIf(res.error)}>
        <PagedTable data={res.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQ({ page: String(p) })} testId="security-audit" noun={NOUN}
          head={[zoneHead('At', res.data.items.map((e) => e.createdAt)), 'Event', 'Who', 'Service', 'Address', 'Request or topic', 'Code', 'Reason']}
          empty={filtered ? <>Nothing in the security audit matches these filters. <button type="button" class="link" onClick={clear}>Clear the filters</button>.</>
            : <>Nothing audited yet: denied requests, rejected messages and key changes show here.</>}
          row={(e) => (
            <tr key={e.id} data-event={e.event} data-audit-id={e.id}>
              <td><Time at={e.createdAt} /></td>
              <td><Status value={e.event} /></td>
              <td><Actor entry={e} /></td>
              <td>{e.service ? <Name of={e.service} /> : <span class="muted">–</span>}</td>
              <td class="mono small">{e.ip ? <FreeText text={e.ip} /> : '–'}</td>
              <td class="mono small"><LongText text={e.target} /></td>
              <td class="mono small">{e.code}</td>
              <td class="text"><LongText text={e.reason} /></td>
            </tr>
          )} />
      </div>}
    </>
  );
}

/** The security audit (`/ui/admin/security-audit`): denied requests, rejected messages and key changes. Admins only. */
export function SecurityAuditPage() {
  return <AdminPage title="Security audit" what="The security audit is"><SecurityAudit /></AdminPage>;
}
