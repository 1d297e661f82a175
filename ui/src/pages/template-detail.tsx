import { useMemo, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { query, request } from '../api/client';
import type { AuditEntry, Page, TemplateDetail, TemplateVersion } from '../api/types';
import { FreeText } from '../components/free-text';
import { JsonView } from '../components/json-view';
import { Name } from '../components/name';
import { Empty, ErrorNotice, ownError, staleIf, unreachable } from '../components/notice';
import { Status } from '../components/status';
import { Time } from '../components/time';
import { usePresence } from '../hooks/use-presence';
import { useQueryState } from '../hooks/use-query-state';
import { useResource } from '../hooks/use-resource';
import { zoneHead } from '../lib/time-zone';
import { diffVersions } from '../lib/version-diff';
import { AuditList } from './audit';
import { StepGraph } from './step-graph';
import { StepsTable } from './steps-table';

/** The template, and its registration audit, refresh every 10 s. */
const POLL_MS = 10_000;

function VersionDiff({ versions }: { versions: TemplateVersion[] }) {
  const sorted = versions.slice().sort((a, b) => a.version - b.version);
  const [from, setFrom] = useState(sorted.length > 1 ? sorted[sorted.length - 2].version : sorted[0].version);
  const [to, setTo] = useState(sorted[sorted.length - 1].version);
  const a = sorted.find((v) => v.version === from), b = sorted.find((v) => v.version === to);
  // A version never changes once registered: each 10 s refresh of the page keeps the diff it has.
  const lines = useMemo(() => (a && b ? diffVersions(a, b) : []), [a?.contentHash, b?.contentHash]);
  const pick = (value: number, set: (n: number) => void, label: string) => (
    <label>{label}
      <select value={String(value)} onChange={(e) => set(Number(e.currentTarget.value))}>
        {sorted.map((v) => <option key={v.version} value={String(v.version)}>v{v.version}</option>)}
      </select>
    </label>
  );
  return (
    <section aria-label="Compare versions">
      <div class="filters">{pick(from, setFrom, 'Compare')}{pick(to, setTo, 'with')}</div>
      {from === to ? <p class="muted">Pick two different versions to see what changed.</p>
        : lines === null ? <p class="muted" role="status">These two versions are too different to diff here: compare them in the steps above.</p> : (
          <pre class="diff">{lines.map((l, i) => <div key={i} class={`d-${l.kind}`}>{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}{l.text}</div>)}</pre>
        )}
    </section>
  );
}

export function TemplateDetailPage({ orchName }: { orchName: string }) {
  const [q, setQ] = useQueryState(['version'] as const);
  // The API details the newest versions, and an older one only when asked for it (an address's
  // version that is no version number shows the current one, as before, not the API's 400).
  const asked = q.version && /^[1-9]\d{0,8}$/.test(q.version) ? q.version : undefined;
  const url = `/api/orchestration/templates/${encodeURIComponent(orchName)}${query({ version: asked })}`;
  const res = useResource(() => request<TemplateDetail>(url), url, POLL_MS);
  const auditUrl = `/api/orchestration/registrations/audit${query({ orchName, pageSize: 10 })}`;
  // Read as often as the template: an attempt shows here with the version it registered, and a read
  // that found Baton unreachable is read again rather than leave the page saying so.
  const audit = useResource(() => request<Page<AuditEntry>>(auditUrl), auditUrl, POLL_MS);
  const t = res.data;
  const presence = usePresence(t?.workers ?? []);
  if (res.error && !t) return <><h1><Name of={orchName} /></h1><ErrorNotice error={res.error} polled={res} /><p><Link href="/templates">All templates</Link></p></>;
  if (!t) return <p class="muted">Loading…</p>;
  const at = zoneHead('At', t.versions.map((v) => v.createdAt));
  const shown = t.versions.find((v) => v.version === Number(q.version)) ?? t.versions.find((v) => v.version === t.version) ?? t.versions[0];
  // The API leaves out a version that does not exist rather than refuse it: say so, not show another as if it were it.
  const missingVersion = q.version && shown?.version !== Number(q.version) ? q.version : null;
  const down = unreachable([res, presence, audit]);
  // After a failed poll the template, its workers and its audit are the last answer's, greyed: a
  // READY, or a worker shown live, must not outlive Baton.
  const stale = staleIf(res.error || down);
  return (
    <>
      <nav class="crumbs"><Link href="/templates">Templates</Link> / <Name of={t.orchName} /></nav>
      <h1><Name of={t.orchName} /> <span class={stale}><Status value={t.status} /></span></h1>
      <ErrorNotice error={down?.error} polled={down} />
      <ErrorNotice error={ownError(res)} polled={res} />
      <div class={stale}>
        {t.description && <p class="desc" data-testid="description"><FreeText text={t.description} /></p>}
        <dl class="facts">
          <dt>Owner</dt><dd><Name of={t.ownerService} /></dd>
          <dt>Current version</dt><dd>v{t.version}</dd>
          <dt>Type</dt><dd>{t.type}</dd>
          <dt>Updated</dt><dd><Time at={t.updatedAt} /></dd>
          <dt>Runs</dt><dd><Link href={`/runs?orchName=${encodeURIComponent(t.orchName)}`}>runs of this template</Link></dd>
        </dl>
        {t.missingSteps.length > 0 && (
          <div class="warn" role="status" data-testid="missing-steps">
            <strong>PENDING: missing workers for <Name of={t.missingSteps.join(', ')} />.</strong> Runs are accepted and parked until a worker registers each of these steps.
          </div>
        )}
        <h2>Steps {shown && shown.version !== t.version && <span class="muted">of v{shown.version}</span>}</h2>
        {missingVersion && (
          <div class="warn" role="status" data-testid="no-such-version">
            <Name of={t.orchName} /> has no version {missingVersion} (it has {t.versionCount} version{t.versionCount === 1 ? '' : 's'}): shown below are the steps of the current version, v{t.version}.
          </div>
        )}
        {shown ? (
          <>
            <StepGraph steps={shown.steps} type={shown.type} graph={shown.graph} workers={t.workers} missing={t.missingSteps} presence={presence.data} />
            <StepsTable version={shown} detail={t} presence={presence.data} />
          </>
        ) : <Empty>This template has no version.</Empty>}
        <h2>Versions</h2>
        <table class="grid">
          <thead><tr><th>Version</th><th>Registered by</th><th title={at.title}>{at.text}</th><th>Steps</th><th /></tr></thead>
          <tbody>
            {t.versions.map((v) => (
              <tr key={v.version} aria-current={v.version === shown?.version ? 'true' : undefined}>
                <td>v{v.version}{v.version === t.version && <span class="muted"> (current)</span>}</td>
                <td><Name of={v.registeredBy} /></td>
                <td><Time at={v.createdAt} /></td>
                <td><Name of={v.steps.map((s) => s.name).join(', ')} /></td>
                <td><button type="button" class="link" onClick={() => setQ({ version: String(v.version) })}>show</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {t.versionCount > t.versions.length && (
          <p class="muted" data-testid="versions-shown">Showing {t.versions.length} of {t.versionCount} versions, the newest first. To see an older one, add <code>?version=</code> and its number to this page's address.</p>
        )}
        {t.versions.length > 1 ? <VersionDiff versions={t.versions} /> : <p class="muted">One version so far: registering changed steps creates the next, and a diff appears here.</p>}
        <JsonView label="Template as JSON" value={t} />
      </div>
      <h2 class={stale}>Registration audit</h2>
      <ErrorNotice error={ownError(audit)} polled={audit} />
      <div class={staleIf(stale || audit.error)}>
        {audit.data && <AuditList entries={audit.data.items} />}
        {audit.data && audit.data.total > audit.data.items.length && <p><Link href={`/audit?orchName=${encodeURIComponent(t.orchName)}`}>All {audit.data.total} attempts</Link></p>}
      </div>
    </>
  );
}
