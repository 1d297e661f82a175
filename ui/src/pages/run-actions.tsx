import { useState } from 'preact/hooks';
import { ApiError, postJson } from '../api/client';
import type { RunDetail } from '../api/types';
import { useMe } from '../auth/session';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ActionName, actionableSteps, canAct, runActions } from '../lib/run-actions';

const pathOf = (action: string, flowId: string) =>
  action === 'undo' ? `/api/orchestration/undo/${flowId}` : `/api/orchestration/runs/${flowId}/${action}`;

/** Every action, disabled with its reason when the run's state does not allow it; hidden from viewers. */
export function RunActions({ run, noUndo, onDone }: { run: RunDetail; noUndo: ReadonlySet<string>; onDone: () => void }) {
  const me = useMe();
  const [openName, setOpen] = useState<ActionName | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [step, setStep] = useState('');
  const [output, setOutput] = useState('');
  if (!canAct(me)) return null;
  const steps = actionableSteps(run);
  // Recomputed on every render: the confirmation follows the run (and the template) as they load.
  const actions = runActions(run, noUndo);
  const open = actions.find((a) => a.action === openName);
  const confirm = async () => {
    if (!open) return;
    let parsed: unknown;
    if (open.action === 'skip' && output.trim()) {
      try {
        parsed = JSON.parse(output);
      } catch {
        setError('The output must be JSON.');
        return;
      }
    }
    setBusy(true);
    setError(null);
    try {
      const body = open.action === 'undo' ? {} : { stepName: open.needsStep ? step || steps[0] : undefined, output: parsed, reason: reason.trim() || undefined };
      await postJson(pathOf(open.action, run.flowId), body);
      setOpen(null);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? `${e.code}: ${e.message}` : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="actions" aria-label="Actions">
      {actions.map((a) => (
        <span key={a.action} class="action">
          <button type="button" disabled={!a.enabled || (a.needsStep && steps.length === 0)} data-action={a.action}
            title={a.enabled ? a.effect : a.reason ?? ''} aria-describedby={a.enabled ? undefined : `why-${a.action}`}
            onClick={() => { setOpen(a.action); setError(null); setReason(''); setStep(steps[0] ?? ''); setOutput(''); }}>
            {a.label}
          </button>
          {!a.enabled && <span id={`why-${a.action}`} class="sr-only">{a.reason}</span>}
        </span>
      ))}
      {open && (
        <ConfirmDialog title={`${open.label} run ${run.flowId.slice(0, 8)}?`} confirmLabel={open.label} busy={busy} onConfirm={confirm} onClose={() => setOpen(null)}>
          <p>{open.effect}</p>
          {open.needsStep && (
            <label>Step
              <select value={step} onChange={(e) => setStep(e.currentTarget.value)}>{steps.map((s) => <option key={s}>{s}</option>)}</select>
            </label>
          )}
          {open.action === 'skip' && (
            <label>Output (JSON, optional)
              <textarea rows={3} maxLength={65536} value={output} onInput={(e) => setOutput(e.currentTarget.value)} />
            </label>
          )}
          {open.action !== 'undo' && (
            <label>Reason (recorded on the run)
              <input type="text" maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
          )}
          {error && <div class="error" role="alert">{error}</div>}
        </ConfirmDialog>
      )}
    </section>
  );
}
