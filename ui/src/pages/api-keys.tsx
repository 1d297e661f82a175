import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { query, request } from '../api/client';
import type { ApiKey, Page, RevokedApiKey } from '../api/types';
import { useMe } from '../auth/session';
import { FilterInput } from '../components/filter-input';
import { FreeText } from '../components/free-text';
import { Name } from '../components/name';
import { staleIf } from '../components/notice';
import { PagedTable } from '../components/paged-table';
import { AdminPage, ReadNotice } from '../components/role-notice';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { useQueryState } from '../hooks/use-query-state';
import { useResource } from '../hooks/use-resource';
import { isOwnKey, KEY_ROLES, KEY_STATE_FILTERS, keyState } from '../lib/api-keys';
import { pageOfQuery } from '../lib/paging';
import { serverNow } from '../lib/server-clock';
import { isForbidden } from '../lib/roles';
import { zoneHead } from '../lib/time-zone';
import { IssueKey } from './issue-key';
import { RevokeKeyDialog } from './revoke-key';

const PAGE_SIZE = 25;
const NOUN = ['key', 'keys'] as const;
/** Keys change rarely, but their last use does: the list refreshes as the templates do, and at once after a change made here. */
const POLL_MS = 10_000;
/** The API's filters (role, service, state), each matched as Baton matches it: the service exactly. */
const FILTERS = ['role', 'service', 'state'] as const;
const KEYS = [...FILTERS, 'page'] as const;
/** The columns of times, each with the zone its times are in. */
const timeHeads = (keys: ApiKey[]) => [
  zoneHead('Created', keys.map((k) => k.createdAt)), zoneHead('Expires', keys.map((k) => k.expiresAt)), zoneHead('Last used', keys.map((k) => k.lastUsedAt)),
];

function KeysList() {
  const me = useMe();
  const [q, setQ] = useQueryState(KEYS);
  const page = pageOfQuery(q.page);
  const url = `/api/admin/api-keys${query({ role: q.role, service: q.service, state: q.state, page, pageSize: PAGE_SIZE })}`;
  const res = useResource(() => request<Page<ApiKey>>(url), url, POLL_MS);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revoked, setRevoked] = useState<RevokedApiKey | null>(null);
  // Baton's now: a key Baton refuses as expired must not show as active on a browser whose clock is behind.
  const now = serverNow();
  const filtered = FILTERS.some((k) => q[k]);
  const clear = () => setQ({ ...Object.fromEntries(FILTERS.map((k) => [k, ''])), page: '' });
  const select = (key: 'role' | 'state', label: string, options: readonly string[]) => (
    <label>{label}
      <select value={q[key]} onChange={(e) => setQ({ [key]: e.currentTarget.value, page: '' })}>
        <option value="">any</option>
        {options.map((o) => <option key={o}>{o}</option>)}
      </select>
    </label>
  );
  return (
    <>
      {/* A Baton that refused the list (a console that cannot tell its role) would refuse a new key too. */}
      {!isForbidden(res.error) && <IssueKey onIssued={res.reload} />}
      <h2>Keys</h2>
      <p class="muted small">Newest first. Only a key's prefix is kept readable (<code>bk_&lt;prefix&gt;_…</code>); its secret was shown once, when it was issued. The bootstrap key (<code>ADMIN_API_KEY</code>) is not listed.</p>
      <form class="filters" role="search" aria-label="Filter keys" onSubmit={(e) => e.preventDefault()}>
        {select('role', 'Role', KEY_ROLES)}
        <FilterInput label="Service" value={q.service} maxLength={200} onApply={(v, how) => setQ({ service: v, page: '' }, how)} />
        {select('state', 'State', KEY_STATE_FILTERS)}
        {filtered && <button type="button" class="link" onClick={clear}>clear filters</button>}
      </form>
      <p class="muted small filters-hint">The service is the one a service key proves, matched exactly.</p>
      {revoked && (
        <div class="done" role="status" data-testid="revoke-outcome">
          Key <code>{revoked.prefix}</code> {revoked.changed ? 'is revoked' : 'was revoked already, nothing changed'}
          {revoked.revokedAt && <> (since <Time at={revoked.revokedAt} />)</>}: Baton refuses every request made with it.
        </div>
      )}
      <ReadNotice read={res} what="API keys are" need="for admins only" />
      {res.data && <div class={staleIf(res.error)}>
        <PagedTable data={res.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQ({ page: String(p) })} testId="api-keys" noun={NOUN}
          head={['Key', 'Name', 'Role', 'State', ...timeHeads(res.data.items), '']}
          empty={filtered ? <>No key matches these filters. <button type="button" class="link" onClick={clear}>Clear the filters</button>.</>
            : <>No key issued yet (the bootstrap key, <code>ADMIN_API_KEY</code>, is not listed). Issue one above.</>}
          row={(k) => (
            <tr key={k.id} data-key-prefix={k.prefix}>
              <td>
                <code>{k.prefix}</code>{isOwnKey(me, k) && <div class="muted small">you are signed in with it</div>}
                <div class="small"><Link href={`/admin/security-audit?principalId=${encodeURIComponent(k.prefix)}`}>its audit</Link></div>
              </td>
              <td class="text"><FreeText text={k.name} /></td>
              <td>{k.role}{k.service && <div class="small">for <Name of={k.service} /></div>}</td>
              <td><Status value={keyState(k, now)} />{k.revokedAt && <div class="small muted"><Time at={k.revokedAt} /></div>}</td>
              <td><Time at={k.createdAt} /><div class="small muted">by <Name of={k.createdBy} /></div></td>
              <td>{k.expiresAt ? <Time at={k.expiresAt} /> : <span class="muted">never</span>}</td>
              <td>{k.lastUsedAt ? <Time at={k.lastUsedAt} /> : <span class="muted">never</span>}</td>
              <td>{!k.revokedAt && (
                <button type="button" aria-label={`Revoke key ${k.prefix}`} onClick={() => { setRevoked(null); setRevoking(k); }}>Revoke</button>
              )}</td>
            </tr>
          )} />
      </div>}
      {revoking && (
        <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)}
          onRevoked={(k) => { setRevoking(null); setRevoked(k); res.reload(); }} />
      )}
    </>
  );
}

/** API keys (`/ui/admin/api-keys`): issue one, see them all, revoke one. Admins only: anyone else gets a notice, and no request is made. */
export function ApiKeysPage() {
  return <AdminPage title="API keys" what="API keys are"><KeysList /></AdminPage>;
}
