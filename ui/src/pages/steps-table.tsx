import { Fragment } from 'preact';
import type { ServicePresence, TemplateDetail, TemplateVersion } from '../api/types';
import { Name } from '../components/name';
import { Time } from '../components/time';
import { type Liveness, livenessOf } from '../lib/live-workers';
import { onFailureText, retryText } from '../lib/step-facts';
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

/** Where the step runs: its stage, or in a DAG the steps it waits for. */
function Placement({ step, type }: { step: TemplateVersion['steps'][number]; type: TemplateVersion['type'] }) {
  if (type === 'parallel') return <>parallel</>;
  if (type !== 'dag') return <>{step.seq}</>;
  return step.dependsOn?.length ? <span data-depends-on={step.dependsOn.join(',')}><Name of={step.dependsOn.join(', ')} /></span> : <span class="muted">nothing (starts first)</span>;
}

/**
 * One row per step with every setting the API gives for it (handler, undo, timeout and heartbeat,
 * retry, what failing does, the services allowed to work it, what it waits for), and the workers
 * registered for it with their live instances.
 */
export function StepsTable({ version, detail, presence }: {
  version: TemplateVersion; detail: TemplateDetail; presence: ReadonlyMap<string, ServicePresence | null> | undefined;
}) {
  return (
    <table class="grid" data-testid="steps">
      <thead><tr><th>{version.type === 'dag' ? 'Waits for' : 'Stage'}</th><th>Step</th><th>Handler</th><th>Undo</th><th>Timeout</th><th>Retry</th><th>On failure</th><th>Workers</th></tr></thead>
      <tbody>
        {version.steps.slice().sort((a, b) => a.seq - b.seq).map((s) => {
          const workers = detail.workers.filter((w) => w.stepName === s.name);
          const builtIn = handlerOf(s) !== 'worker';
          const retry = retryText(s.retry);
          return (
            <tr key={s.name} data-step-row={s.name}>
              <td class="names"><Placement step={s} type={version.type} /></td>
              <td class="names"><strong><Name of={s.name} /></strong> <span class="muted small">{s.objectType}</span></td>
              <td>{handlerOf(s)}</td>
              <td>{undoOf(s)}</td>
              <td>
                {s.timeoutSeconds ? `${s.timeoutSeconds} s` : <span class="muted">default</span>}
                {s.heartbeatSeconds ? <div class="small">times out after {s.heartbeatSeconds} s without a heartbeat</div> : null}
              </td>
              <td>{retry ?? <span class="muted">none</span>}</td>
              <td>{onFailureText(s.onFailure)}</td>
              <td class="names">
                {s.workers && <div class="small" data-allowed-workers>only <Name of={s.workers.join(', ')} /> may work it</div>}
                {builtIn ? <span class="muted">built-in, no worker needed</span>
                  : workers.length ? workers.map((w) => (
                    <div key={w.serviceName}><Name of={w.serviceName} /> <span class="muted small">on <Name of={w.topic} /></span> <LiveInstances live={livenessOf(w, presence)} /></div>
                  ))
                    : (
                      <span class="warn-text" data-missing={s.name}>
                        No worker registered for <Name of={s.name} />. Register one: <code>POST /api/orchestration/register</code> with{' '}
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
