import { Fragment } from 'preact';
import type { ServicePresence, TemplateDetail, TemplateVersion } from '../api/types';
import { Time } from '../components/time';
import { type Liveness, livenessOf } from '../lib/live-workers';
import { handlerOf, undoOf } from '../lib/step-handler';

function LiveInstances({ live }: { live: Liveness | null }) {
  if (!live) return null;
  if (live.liveInstances === 0) {
    return (
      <div class="muted small" data-live="0" title="Workers on the SDK (@baton/worker) report presence every few seconds; a worker without it may still be running">
        no live instance reported
      </div>
    );
  }
  return (
    <div class="small" data-live={live.liveInstances}>
      <span class="live-count">{live.liveInstances} live</span>{live.lastSeenAt && <span class="muted">, last seen <Time at={live.lastSeenAt} /></span>}
    </div>
  );
}

/** JSON on one line that may wrap after each comma; a name wider than its cell still breaks inside (styles.css). */
function CellJson({ value, class: className }: { value: unknown; class?: string }) {
  return <code class={className}>{JSON.stringify(value).split(/(?<=,)/).map((part, i) => <Fragment key={i}>{i > 0 && <wbr />}{part}</Fragment>)}</code>;
}

/** One row per step: handler, undo, limits, and the workers registered for it with their live instances. */
export function StepsTable({ version, detail, presence }: {
  version: TemplateVersion; detail: TemplateDetail; presence: ReadonlyMap<string, ServicePresence | null> | undefined;
}) {
  return (
    <table class="grid">
      <thead><tr><th>Stage</th><th>Step</th><th>Handler</th><th>Undo</th><th>Timeout</th><th>Retry</th><th>Workers</th></tr></thead>
      <tbody>
        {version.steps.slice().sort((a, b) => a.seq - b.seq).map((s) => {
          const workers = detail.workers.filter((w) => w.stepName === s.name);
          const builtIn = handlerOf(s) !== 'worker';
          return (
            <tr key={s.name}>
              <td>{version.type === 'parallel' ? 'parallel' : s.seq}</td>
              <td><strong>{s.name}</strong> <span class="muted small">{s.objectType}</span></td>
              <td>{handlerOf(s)}</td>
              <td>{undoOf(s)}</td>
              <td>{s.timeoutSeconds ? `${s.timeoutSeconds} s` : <span class="muted">default</span>}</td>
              <td>{s.retry ? <CellJson value={s.retry} class="small retry" /> : <span class="muted">none</span>}</td>
              <td>
                {builtIn ? <span class="muted">built-in, no worker needed</span>
                  : workers.length ? workers.map((w) => (
                    <div key={w.serviceName}>{w.serviceName} <span class="muted small">on {w.topic}</span> <LiveInstances live={livenessOf(w, presence)} /></div>
                  ))
                    : (
                      <span class="warn-text" data-missing={s.name}>
                        No worker registered for {s.name}. Register one: <code>POST /api/orchestration/register</code> with{' '}
                        <CellJson value={{ orchName: detail.orchName, as: 'worker', steps: [{ name: s.name, objectType: s.objectType }] }} />
                      </span>
                    )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
