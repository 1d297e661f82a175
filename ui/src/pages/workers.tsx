import { Fragment } from 'preact';
import { Link } from 'wouter-preact';
import { query, request } from '../api/client';
import type { Page, ServicePresence, WorkerRegistration, WorkerService } from '../api/types';
import { useMe } from '../auth/session';
import { FilterInput } from '../components/filter-input';
import { FreeText } from '../components/free-text';
import { Name } from '../components/name';
import { ErrorNotice, ownError, staleIf, unreachable } from '../components/notice';
import { PagedTable } from '../components/paged-table';
import { ReadNotice } from '../components/role-notice';
import { Time } from '../components/time';
import { usePresence } from '../hooks/use-presence';
import { useQueryState } from '../hooks/use-query-state';
import { useResource } from '../hooks/use-resource';
import { livenessOf } from '../lib/live-workers';
import { pageOfQuery } from '../lib/paging';
import { PRESENCE_ROLES, roleNotice } from '../lib/roles';
import { zoneHead } from '../lib/time-zone';
import { moreSteps, templatesOf } from '../lib/worker-groups';

const PAGE_SIZE = 25;
const NOUN = ['service', 'services'] as const;
/** The registrations refresh as the templates do; their live instances every 5 s (usePresence). */
const POLL_MS = 10_000;
const KEYS = ['serviceName', 'orchName', 'page'] as const;
/** Names offered in the filters: the API's largest page of registrations, which covers any ordinary deployment. */
const NAMES_URL = `/api/orchestration/workers${query({ pageSize: 500 })}`;

type Presence = ReadonlyMap<string, ServicePresence | null> | undefined;

/** A service's live instances, newest first: where each runs, its SDK, when it last said it was alive. */
function Instances({ service, presence }: { service: string; presence: Presence }) {
  const me = useMe();
  // Not known yet, or a name presence cannot have (never asked): nothing rather than "none".
  if (!presence?.has(service)) return null;
  const live = presence.get(service);
  if (live === null) return <div class="muted small" data-testid="presence-note">{roleNotice('Live instances need', PRESENCE_ROLES, me)}</div>;
  if (live!.instances.length === 0) {
    return (
      <div class="muted small" data-live="0" title="Workers on the SDK (@baton/worker) report presence every few seconds; a worker without it may still be running">
        no live instance reported
      </div>
    );
  }
  return (
    <div class="small" data-live={live!.instances.length}>
      <span class="live-count">{live!.instances.length} live</span>
      <ul class="instances">
        {live!.instances.map((i) => (
          <li key={i.instanceId} data-instance={i.instanceId}>
            <FreeText text={i.host} /> <code title={i.instanceId}>{i.instanceId.slice(0, 8)}</code>{' '}
            <span class="muted">SDK <FreeText text={i.sdkVersion} />, last seen <Time at={i.lastSeenAt} /></span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The steps of one template a service handles; a step none of its live instances handles is said so. */
function Steps({ steps, presence }: { steps: WorkerRegistration[]; presence: Presence }) {
  const service = presence?.get(steps[0].serviceName);
  return (
    <>
      {steps.map((s, i) => {
        const idle = service && service.instances.length > 0 && livenessOf(s, presence)?.liveInstances === 0;
        return (
          <Fragment key={s.id}>
            {i > 0 && ', '}
            <span data-step={s.stepName} title={`takes ${s.objectType}`}>
              <Name of={s.stepName} />{idle && <span class="warn-text small"> (no live instance handles it)</span>}
            </span>
          </Fragment>
        );
      })}
    </>
  );
}

function ServiceRow({ service, presence }: { service: WorkerService; presence: Presence }) {
  const more = moreSteps(service);
  return (
    <tr data-service={service.serviceName}>
      <td><strong><Name of={service.serviceName} /></strong></td>
      <td class="workers">
        {templatesOf(service.registrations).map((t) => (
          <div key={t.orchName} data-template={t.orchName}>
            <Link href={`/templates/${encodeURIComponent(t.orchName)}`}><Name of={t.orchName} /></Link>: <Steps steps={t.steps} presence={presence} />
          </div>
        ))}
        {more && <div class="muted small" data-testid="more-steps">{more}</div>}
      </td>
      <td class="workers"><Instances service={service.serviceName} presence={presence} /></td>
      <td class="mono small">{service.topics.map((topic) => <div key={topic}><Name of={topic} /></div>)}</td>
      <td><Time at={service.lastChangedAt} /></td>
    </tr>
  );
}

/**
 * The services registered as workers, with the templates and steps each handles and its live
 * instances, filtered by service and template (each matched exactly, as the API does).
 */
export function WorkersPage() {
  const me = useMe();
  const [q, setQ] = useQueryState(KEYS);
  const page = pageOfQuery(q.page);
  const url = `/api/orchestration/worker-services${query({ serviceName: q.serviceName, orchName: q.orchName, page, pageSize: PAGE_SIZE })}`;
  const res = useResource(() => request<Page<WorkerService>>(url), url, POLL_MS);
  const names = useResource(() => request<Page<WorkerRegistration>>(NAMES_URL), NAMES_URL);
  const presence = usePresence(res.data?.items.flatMap((s) => s.registrations) ?? []);
  const text = (key: 'serviceName' | 'orchName', label: string, list: string) => (
    <FilterInput label={label} value={q[key]} maxLength={200} list={list} onApply={(v, how) => setQ({ [key]: v, page: '' }, how)} />
  );
  const unique = (pick: (w: WorkerRegistration) => string) => [...new Set(names.data?.items.map(pick))].sort();
  const filtered = Boolean(q.serviceName || q.orchName);
  const clear = () => setQ({ serviceName: '', orchName: '', page: '' });
  const down = unreachable([res, presence]);
  // A service key reads its own registrations only (the API's rule): an empty list must not read as "no worker anywhere".
  const ownOnly = me?.roles.includes('service') && !me.roles.some((r) => r === 'viewer' || r === 'operator' || r === 'admin');
  return (
    <>
      <h1>Workers</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        {text('serviceName', 'Service', 'service-names')}
        <datalist id="service-names">{unique((w) => w.serviceName).map((n) => <option key={n} value={n} />)}</datalist>
        {text('orchName', 'Template', 'worked-templates')}
        <datalist id="worked-templates">{unique((w) => w.orchName).map((n) => <option key={n} value={n} />)}</datalist>
        {filtered && <button type="button" class="link" onClick={clear}>clear filters</button>}
      </form>
      <p class="muted small filters-hint">Filters apply as you type; the service and the template must match exactly.</p>
      {ownOnly && <p class="muted small" data-testid="own-only">Signed in with a service key, you see the registrations of {me!.service ? <Name of={me!.service} /> : 'your service'} only.</p>}
      <ErrorNotice error={down?.error} polled={down} />
      <ReadNotice read={{ error: ownError(res), answeredAt: res.answeredAt }} what="The workers list needs" need="the viewer, operator, service or admin role" />
      <ErrorNotice error={ownError(presence)} polled={presence} />
      {res.data && <div class={staleIf(res.error || down)}>
        <PagedTable data={res.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQ({ page: String(p) })} noun={NOUN}
          testId="workers" head={['Service', 'Templates and steps', 'Live instances', 'Command topic', zoneHead('Last changed', res.data.items.map((s) => s.lastChangedAt))]}
          empty={filtered ? <>No worker registration matches these filters. <button type="button" class="link" onClick={clear}>Clear the filters</button>.</>
            : <>No worker has registered yet. A worker registers the steps it handles with <code>POST /api/orchestration/register</code> (<code>as: worker</code>), as the SDK (<code>@baton/worker</code>) does when it starts.</>}
          row={(s) => <ServiceRow key={s.serviceName} service={s} presence={presence.data} />} />
      </div>}
    </>
  );
}
