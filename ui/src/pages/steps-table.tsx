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
 * registered for it with their live instances. On a phone each step stacks as labelled lines
 * (data-label, styles.css): beside seven columns its workers, or the hint to register one, were
 * squeezed into a sliver as tall as a screen. A cell of several parts holds them in one block, so
 * that a stacked line does not set them side by side.
 */
export function StepsTable({ version, detail, presence }: {
  version: TemplateVersion; detail: TemplateDetail; presence: ReadonlyMap<string, ServicePresence | null> | undefined;
}) {
  const placement = version.type === 'dag' ? 'Waits for' : 'Stage';
  return (
    <table class="grid stack" data-testid="steps">
      <thead><tr><th>{placement}</th><th>Step</th><th>Handler</th><th>Undo</th><th>Timeout</th><th>Retry</th><th>On failure</th><th>Workers</th></tr></thead>
      <tbody>
        {version.steps.slice().sort((a, b) => a.seq - b.seq).map((s) => {
          const workers = detail.workers.filter((w) => w.stepName === s.name);
          const builtIn = handlerOf(s) !== 'worker';
          const retry = retryText(s.retry);
          return (
            <tr key={s.name} data-step-row={s.name}>
              <td data-label={placement} class="names"><Placement step={s} type={version.type} /></td>
              <td data-label="Step" class="names"><div><strong><Name of={s.name} /></strong> <span class="muted small">{s.objectType}</span></div></td>
              <td data-label="Handler">{handlerOf(s)}</td>
              <td data-label="Undo">{undoOf(s)}</td>
              <td data-label="Timeout"><div>
                {s.timeoutSeconds ? `${s.timeoutSeconds} s` : <span class="muted">default</span>}
                {s.heartbeatSeconds ? <div class="small">times out after {s.heartbeatSeconds} s without a heartbeat</div> : null}
              </div></td>
              <td data-label="Retry">{retry ?? <span class="muted">none</span>}</td>
              <td data-label="On failure">{onFailureText(s.onFailure)}</td>
              <td data-label="Workers" class="names"><div class="workers">
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
              </div></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
