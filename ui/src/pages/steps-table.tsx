import { Fragment } from 'preact';
import type { ServicePresence, TemplateDetail, TemplateVersion } from '../api/types';
import { Name } from '../components/name';
import { type Column, StackedTable } from '../components/stacked-table';
import { Time } from '../components/time';
import { type Liveness, livenessOf } from '../lib/live-workers';
import { onFailureText, retryText } from '../lib/step-facts';
import { handlerOf, undoOf } from '../lib/step-handler';

type Step = TemplateVersion['steps'][number];

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
function Placement({ step, type }: { step: Step; type: TemplateVersion['type'] }) {
  if (type === 'parallel') return <>parallel</>;
  if (type !== 'dag') return <>{step.seq}</>;
  return step.dependsOn?.length ? <span data-depends-on={step.dependsOn.join(',')}><Name of={step.dependsOn.join(', ')} /></span> : <span class="muted">nothing (starts first)</span>;
}

/** What a step's workers column says: who may work it, and who is registered, or how to register one. */
function Workers({ step, detail, presence }: { step: Step; detail: TemplateDetail; presence: ReadonlyMap<string, ServicePresence | null> | undefined }) {
  const workers = detail.workers.filter((w) => w.stepName === step.name);
  return (
    <div class="workers">
      {step.mayWork && <div class="small" data-allowed-workers>only <Name of={step.mayWork.join(', ')} /> may work it{!step.workers && ' (the template names no workers, so only its owner)'}</div>}
      {handlerOf(step) !== 'worker' ? <span class="muted">built-in, no worker needed</span>
        : workers.length ? workers.map((w) => (
          <div key={w.serviceName}><Name of={w.serviceName} /> <span class="muted small">on <Name of={w.topic} /></span> <LiveInstances live={livenessOf(w, presence)} /></div>
        ))
          : (
            <span class="warn-text" data-missing={step.name}>
              No worker registered for <Name of={step.name} />. Register one{step.mayWork ? <> as <Name of={step.mayWork.join(' or ')} /></> : ''}: <code>POST /api/orchestration/register</code> with{' '}
              <CellJson value={{ orchName: detail.orchName, as: 'worker', steps: [{ name: step.name, objectType: step.objectType }] }} />
            </span>
          )}
    </div>
  );
}

/**
 * One row per step with every setting the API gives for it (handler, undo, timeout and heartbeat,
 * retry, what failing does, the services allowed to work it, what it waits for), and the workers
 * registered for it with their live instances. On a phone each step stacks as labelled lines
 * (StackedTable): beside seven columns its workers, or the hint to register one, were squeezed
 * into a sliver as tall as a screen.
 */
export function StepsTable({ version, detail, presence }: {
  version: TemplateVersion; detail: TemplateDetail; presence: ReadonlyMap<string, ServicePresence | null> | undefined;
}) {
  const columns: Column<Step>[] = [
    { head: version.type === 'dag' ? 'Waits for' : 'Stage', cell: (s) => <Placement step={s} type={version.type} /> },
    { head: 'Step', cell: (s) => <><strong><Name of={s.name} /></strong> <span class="muted small">{s.objectType}</span></> },
    { head: 'Handler', cell: (s) => handlerOf(s) },
    { head: 'Undo', cell: (s) => undoOf(s) },
    {
      head: 'Timeout',
      cell: (s) => <>
        {s.timeoutSeconds ? `${s.timeoutSeconds} s` : <span class="muted">default</span>}
        {s.heartbeatSeconds ? <div class="small">times out after {s.heartbeatSeconds} s without a heartbeat</div> : null}
      </>,
    },
    { head: 'Retry', cell: (s) => retryText(s.retry) ?? <span class="muted">none</span> },
    { head: 'On failure', cell: (s) => onFailureText(s.onFailure) },
    { head: 'Workers', cell: (s) => <Workers step={s} detail={detail} presence={presence} /> },
  ];
  return (
    <StackedTable columns={columns} rows={version.steps.slice().sort((a, b) => a.seq - b.seq)} rowKey={(s) => s.name}
      rowAttrs={(s) => ({ 'data-step-row': s.name })} testId="steps" />
  );
}
